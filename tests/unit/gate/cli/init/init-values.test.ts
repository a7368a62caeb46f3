import { describe, expect, it } from 'vitest';
import {
  githubRepositoryOf,
  initValues,
} from '../../../../../packages/smoke-gate/src/cli/init/init-values.ts';
import type { ServiceSetup } from '../../../../../packages/smoke-gate/src/cli/init/service-setup.ts';
import { createDeadline } from '../../../../../packages/smoke-gate/src/core/deadline.ts';

const SETUP: ServiceSetup = {
  file: 'serverless.yml',
  service: 'orders',
  region: undefined,
  tagKey: undefined,
  bucket: 'orders-*-serverlessdeploymentbuck*',
  deployRole: 'orders-deploy',
};

/** One run's values; no AWS call is made when --account is given. */
const values = (flags: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  initValues({
    values: flags as never,
    env,
    // No git repository here: the origin remote is not found.
    dir: '/',
    setup: SETUP,
    aws: { region: 'eu-central-1' },
    deadline: createDeadline(Date.now() + 10_000),
  });

describe('githubRepositoryOf', () => {
  it.each([
    ['https://github.com/acme/orders.git\n', 'acme/orders'],
    ['git@github.com:acme/orders.git', 'acme/orders'],
    ['https://github.com/acme/orders', 'acme/orders'],
    ['https://gitlab.com/acme/orders.git', undefined],
  ])('reads %j as %j', (url, repository) => {
    expect(githubRepositoryOf(url)).toBe(repository);
  });
});

describe('initValues', () => {
  it("fills the service's own names, the neutral tag key and the given account and repository", async () => {
    // Act
    const { policy, missing } = await values({
      account: '210987654321',
      repository: 'acme/orders',
    });
    // Assess
    expect(policy).toMatchObject({
      service: 'orders',
      region: 'eu-central-1',
      account: '210987654321',
      repository: 'acme/orders',
      tagKey: 'smoke-gate:service',
      deployRole: 'orders-deploy',
      verifyRole: 'orders-verify',
      keyAdminRole: 'orders-records-key-admin',
      ciAccount: '210987654321',
    });
    expect(missing).toStrictEqual([]);
  });

  it('takes the repository from GITHUB_REPOSITORY, and says when none is found', async () => {
    expect(
      (await values({ account: '210987654321' }, { GITHUB_REPOSITORY: 'acme/o' })).policy
        .repository,
    ).toBe('acme/o');
    const none = await values({ account: '210987654321' });
    expect(none.policy.repository).toBe('OWNER/REPO');
    expect(none.missing).toStrictEqual(['the repository (--repository owner/repo)']);
  });

  it.each([
    [{ account: '1234' }, '--account "1234" is not a 12-digit AWS account id'],
    [{ account: '210987654321', repository: 'acme' }, '--repository "acme" is not owner/repo'],
    [
      { account: '210987654321', 'key-admin-role': 'a b' },
      '--key-admin-role "a b" is not an IAM role name',
    ],
  ])('refuses %j in one line', async (flags, message) => {
    await expect(values(flags)).rejects.toThrow(message);
  });
});
