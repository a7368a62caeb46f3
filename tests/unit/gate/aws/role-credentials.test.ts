import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  createRoleCache,
  REFRESH_BEFORE_MS,
  type StsSend,
  sessionName,
} from '../../../../packages/smoke-gate/src/aws/role-credentials.ts';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';

/** The run's deadline: unused by the fake STS, which answers at once. */
const deadline = createDeadline(Number.MAX_SAFE_INTEGER);

const ROLE = { arn: 'arn:aws:iam::210987654321:role/petsage-verify', externalId: 'petsage-ci' };
const HOUR = 3_600_000;

/** STS as a fake: each AssumeRole gives credentials valid for an hour from the clock's now. */
function fakeSts(clock: { now: number }) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const send: StsSend = async (_settings, command) => {
    const { input } = command as { input: Record<string, unknown> };
    calls.push({ name: command.constructor.name, input });
    if (command instanceof AssumeRoleCommand) {
      return {
        Credentials: {
          AccessKeyId: `ASIA${calls.length}`,
          SecretAccessKey: 'secret',
          SessionToken: 'token',
          Expiration: new Date(clock.now + HOUR),
        },
      };
    }
    if (command instanceof GetCallerIdentityCommand) return { Account: '210987654321' };
    throw new Error('unexpected call');
  };
  return { send, calls };
}

describe('createRoleCache', () => {
  it('assumes a role once however many targets ask, with the run’s session name and the external id', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const sts = fakeSts(clock);
    const roles = createRoleCache({ runId: '42', deadline, now: () => clock.now, send: sts.send });
    // Act
    const first = roles.credentialsFor(ROLE, { region: 'eu-west-1' });
    const again = roles.credentialsFor(ROLE, { region: 'eu-west-1' });
    const answers = await Promise.all([first(), first(), again()]);
    // Assess
    expect(again).toBe(first);
    expect(new Set(answers.map((a) => a.accessKeyId))).toStrictEqual(new Set(['ASIA1']));
    expect(sts.calls).toStrictEqual([
      {
        name: 'AssumeRoleCommand',
        input: { RoleArn: ROLE.arn, RoleSessionName: 'smoke-gate-42', ExternalId: 'petsage-ci' },
      },
    ]);
  });

  it('assumes it again before the credentials expire in a long run, not after', async () => {
    // Prepare
    const clock = { now: 1_000_000 };
    const sts = fakeSts(clock);
    const roles = createRoleCache({ runId: '42', deadline, now: () => clock.now, send: sts.send });
    const credentials = roles.credentialsFor(ROLE, {});
    await credentials();
    // Act: just outside the refresh margin, then just inside it.
    clock.now += HOUR - REFRESH_BEFORE_MS - 1;
    const stillFirst = (await credentials()).accessKeyId;
    clock.now += 2;
    const refreshed = (await credentials()).accessKeyId;
    // Assess
    expect(stillFirst).toBe('ASIA1');
    expect(refreshed).toBe('ASIA2');
  });

  it('asks each set of credentials for its account once', async () => {
    // Prepare
    const sts = fakeSts({ now: 0 });
    const roles = createRoleCache({ runId: '42', deadline, send: sts.send });
    const settings = { region: 'eu-west-1', role: ROLE };
    // Act
    const accounts = await Promise.all([roles.accountOf(settings), roles.accountOf(settings)]);
    // Assess
    expect(accounts).toStrictEqual(['210987654321', '210987654321']);
    expect(sts.calls.filter((c) => c.name === 'GetCallerIdentityCommand')).toHaveLength(1);
  });

  it('knows no account, without failing the run, where STS cannot be reached', async () => {
    const roles = createRoleCache({
      runId: '42',
      deadline,
      send: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    expect(await roles.accountOf({})).toBeNull();
  });
});

describe('sessionName', () => {
  it('names the run within STS’s 64 characters and alphabet', () => {
    expect(sessionName('42')).toBe('smoke-gate-42');
    const long = sessionName(`${'x'.repeat(80)} y/z`);
    expect(long.length).toBe(64);
    expect(long).toMatch(/^[\w+=,.@-]+$/);
  });
});
