import { describe, expect, it } from 'vitest';
import type { RoleCache } from '../../../../packages/smoke-gate/src/aws/role-credentials.ts';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import type { FleetTarget } from '../../../../packages/smoke-gate/src/fleet/fleet-targets.ts';
import { forEachTarget } from '../../../../packages/smoke-gate/src/fleet/run-fleet.ts';

/** The run's deadline (the fake roles never call STS). */
const deadline = createDeadline(Number.MAX_SAFE_INTEGER);

const target = (name: string, region: string | undefined): FleetTarget => ({
  name,
  region,
  request: { stage: name, service: 'petsage-smoke-test' },
  source: `--stage ${name}`,
});

/** No STS here: every set of credentials acts in an unknown account. */
const roles: RoleCache = {
  credentialsFor: () => async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
  accountOf: async () => null,
};
const refusedWith = (t: FleetTarget, _share: unknown, problem: string) => `${t.name}: ${problem}`;

const TARGETS = [
  target('a', 'eu-west-1'),
  target('b', 'us-east-1'),
  target('c', 'eu-west-1'),
  target('d', undefined),
];

describe('forEachTarget', () => {
  it('gives targets in one region one budget and one set of clients, and each its own region', async () => {
    // Act
    const { entries } = await forEachTarget(
      { targets: TARGETS, aws: { region: 'eu-west-1', profile: 'ops' }, deadline, roles },
      async (t, share) => ({ name: t.name, share }),
      () => {
        throw new Error('no target is refused here');
      },
    );
    // Assess
    const [a, b, c, d] = entries.map((entry) => entry.share);
    expect(entries.map((entry) => [entry.name, entry.share.aws.region])).toStrictEqual([
      ['a', 'eu-west-1'],
      ['b', 'us-east-1'],
      ['c', 'eu-west-1'],
      ['d', 'eu-west-1'],
    ]);
    expect(c?.budget).toBe(a?.budget);
    expect(d?.budget).toBe(a?.budget);
    expect(b?.budget).not.toBe(a?.budget);
    expect(c?.clients).toBe(a?.clients);
    expect(a?.aws.profile).toBe('ops');
  });

  it("keeps the targets order whatever order they finish in, and counts each region's calls", async () => {
    // Act
    const { entries, logCalls } = await forEachTarget(
      { targets: TARGETS, aws: { region: 'eu-west-1' }, logsRatePerSecond: 3, deadline, roles },
      async (t, share) => {
        const slot = await share.budget.take(Date.now() + 60_000);
        slot?.settled();
        await new Promise((resolve) => setTimeout(resolve, t.name === 'a' ? 30 : 1));
        return t.name;
      },
      refusedWith,
    );
    // Assess
    expect(entries).toStrictEqual(['a', 'b', 'c', 'd']);
    expect(logCalls).toStrictEqual([
      { region: 'eu-west-1', account: null, calls: 3, peakPerSecond: 3, budgetPerSecond: 3 },
      { region: 'us-east-1', account: null, calls: 1, peakPerSecond: 1, budgetPerSecond: 3 },
    ]);
  });

  it('runs no more pieces of pooled work at once than its concurrency', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const many = Array.from({ length: 12 }, (_, i) => target(`s${i}`, 'eu-west-1'));
    // Act
    await forEachTarget(
      { targets: many, aws: {}, concurrency: 4, deadline, roles },
      (_, share) =>
        share.limit(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running--;
        }),
      () => undefined,
    );
    // Assess
    expect(most).toBe(4);
  });
});

describe('forEachTarget over many accounts', () => {
  const ACCOUNT_A = '111111111111';
  const ACCOUNT_B = '222222222222';
  /** Roles act in the account their ARN names; the run's own credentials in ACCOUNT_A. */
  const accounts: RoleCache = {
    credentialsFor: (role) => async () => {
      if (role.arn.endsWith('/denied'))
        throw Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
      return { accessKeyId: role.arn, secretAccessKey: 'x' };
    },
    accountOf: async (settings) =>
      settings.role === undefined ? ACCOUNT_A : (settings.role.arn.split(':')[4] ?? null),
  };
  const withRole = (name: string, roleArn: string): FleetTarget => ({
    ...target(name, 'eu-west-1'),
    access: { roleArn },
  });

  it('shares one budget between two roles in one account, never between two accounts', async () => {
    // Act
    const { entries } = await forEachTarget(
      {
        targets: [
          withRole('a1', `arn:aws:iam::${ACCOUNT_B}:role/verify`),
          withRole('a2', `arn:aws:iam::${ACCOUNT_B}:role/other`),
          target('own', 'eu-west-1'),
        ],
        aws: { region: 'eu-west-1' },
        roles: accounts,
        deadline,
      },
      async (t, share) => ({ name: t.name, share }),
      () => {
        throw new Error('no target is refused here');
      },
    );
    // Assess
    const [a1, a2, own] = entries.map((entry) => entry.share);
    expect([a1?.aws.account, a2?.aws.account, own?.aws.account]).toStrictEqual([
      ACCOUNT_B,
      ACCOUNT_B,
      ACCOUNT_A,
    ]);
    expect(a2?.budget).toBe(a1?.budget);
    expect(own?.budget).not.toBe(a1?.budget);
  });

  it('refuses only the target whose role cannot be assumed, in one line naming the role', async () => {
    // Act
    const { entries } = await forEachTarget(
      {
        targets: [
          withRole('no', `arn:aws:iam::${ACCOUNT_B}:role/denied`),
          target('own', 'eu-west-1'),
        ],
        aws: { region: 'eu-west-1' },
        roles: accounts,
        deadline,
      },
      async (t) => `${t.name}: verified`,
      refusedWith,
    );
    // Assess
    expect(entries).toStrictEqual([
      `no: role arn:aws:iam::${ACCOUNT_B}:role/denied could not be assumed: AccessDenied: not authorized`,
      'own: verified',
    ]);
  });
});
