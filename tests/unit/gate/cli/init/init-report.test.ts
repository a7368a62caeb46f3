import { describe, expect, it } from 'vitest';
import {
  initText,
  nextSteps,
} from '../../../../../packages/smoke-gate/src/cli/init/init-report.ts';
import {
  PLACEHOLDER_VALUES,
  type PolicyValues,
} from '../../../../../packages/smoke-gate/src/cli/init/role-policies.ts';

const VALUES: PolicyValues = {
  ...PLACEHOLDER_VALUES,
  service: 'orders',
  region: 'eu-central-1',
  account: '210987654321',
  repository: 'acme/orders',
  bucket: 'orders-*-serverlessdeploymentbuck*',
  tagKey: 'smoke-gate:service',
  deployRole: 'orders-deploy',
  verifyRole: 'orders-verify',
  keyAdminRole: 'orders-records-key-admin',
};
const SETUP = {
  file: 'serverless.yml',
  service: 'orders',
  region: undefined,
  tagKey: undefined,
  bucket: VALUES.bucket,
  deployRole: 'orders-deploy',
};

describe('nextSteps', () => {
  it('asks for the tag, makes the key and the roles from the written files, in order', () => {
    // Act
    const steps = nextSteps(VALUES, SETUP, '.github/iam', 'none');
    // Assess
    expect(steps[0]).toMatch(
      /^in serverless\.yml: provider\.tags: \{ smoke-gate:service: \$\{self:service\} \}/,
    );
    expect(steps).toContain(
      'aws iam put-role-policy --role-name orders-deploy --policy-name smoke-gate --policy-document file://.github/iam/deploy-policy.json',
    );
    expect(steps.findIndex((s) => s.includes('create-key'))).toBeLessThan(
      steps.findIndex((s) => s.includes('create-role')),
    );
    expect(steps.at(-1)).toMatch(/\/orders\/smoke-gate\/<stage>\/anchor/);
  });

  it('leaves the key out once it is pinned, and the tag once the service carries it', () => {
    // Act
    const steps = nextSteps(VALUES, { ...SETUP, tagKey: 'smoke-gate:service' }, 'iam', 'pinned');
    // Assess
    expect(steps.join('\n')).not.toMatch(/create-key|provider\.tags/);
  });
});

describe('initText', () => {
  it('names each file with what happened to it, and what was not found', () => {
    // Act
    const text = initText({
      ok: true,
      service: 'orders',
      account: VALUES.account,
      region: VALUES.region,
      repository: 'OWNER/REPO',
      files: [{ path: '.github/iam/deploy-policy.json', state: 'written' }],
      recordsKey: null,
      missing: ['the repository (--repository owner/repo)'],
      next: ['step'],
    });
    // Assess
    expect(text).toContain('  written     .github/iam/deploy-policy.json');
    expect(text).toContain(
      'Not found: the repository (--repository owner/repo); its placeholder is in the files',
    );
    expect(text).toMatch(/Records key:\n {2}not made/);
  });
});
