import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../../harness/project/project.ts';
import {
  PLACEHOLDER_VALUES,
  type PolicyValues,
  policyTemplates,
  renderPolicies,
  renderPolicy,
} from '../../../../../packages/smoke-gate/src/cli/init/role-policies.ts';

/** This repository's service, as its `.github/iam` names it. */
const SMOKE_TEST_SERVICE: PolicyValues = {
  ...PLACEHOLDER_VALUES,
  service: 'petsage-smoke-test',
  region: 'eu-west-1',
  bucket: 'petsage-smoke-test-*-serverlessdeploymentbuck*',
  tagKey: 'petsage:service',
  deployRole: 'petsage-smoke-test-deploy',
  verifyRole: 'petsage-smoke-test-verify',
};

describe('the policy templates the package ships', () => {
  it("render this repository's .github/iam, file for file, for the smoke-test service", async () => {
    // Prepare
    const dir = join(PROJECT_DIR, '.github/iam');
    const ours = Object.fromEntries(
      readdirSync(dir).map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8'))]),
    );
    // Act
    const rendered = await renderPolicies(SMOKE_TEST_SERVICE);
    // Assess: the same policies (each file's layout is its formatter's).
    expect(
      Object.fromEntries(Object.entries(rendered).map(([file, text]) => [file, JSON.parse(text)])),
    ).toStrictEqual(ours);
  });

  it('name no service, region, account or repository of their own', async () => {
    // Act
    const templates = Object.values(await policyTemplates()).join('\n');
    // Assess
    expect(templates).not.toMatch(/petsage|eu-west-1|us-east-1|\d{12}|OWNER\/REPO|<[a-z-]+>/i);
  });

  it('refuses a placeholder it has no value for, naming the file', () => {
    expect(() => renderPolicy('x.json', '{"a":"{{nope}}"}', SMOKE_TEST_SERVICE)).toThrow(
      'iam/x.json: unknown placeholder {{nope}}',
    );
  });
});
