import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import type { StagePlace } from '../../../../packages/smoke-gate/src/deployments/deployment-books.ts';
import {
  frameworkTimestamp,
  recordManualRollback,
  resolveRollbackCommit,
} from '../../../../packages/smoke-gate/src/deployments/rollback-by-commit.ts';
import type { VerificationOutcome } from '../../../../packages/smoke-gate/src/verification/run-verification.ts';
import { devBucket, GOOD, LIVE } from '../../../helpers/dev-bucket.ts';
import { DEV_AWS, DEV_STAGE } from '../../../helpers/dev-stage.ts';
import { KEY_PIN } from '../../../helpers/records-key.ts';
import { failedReport } from '../../../helpers/verify-report.ts';

const { s3, cloudFormation, world, reset } = devBucket();
afterEach(reset);

const msOf = (directory: string) => directory.split('-')[0] ?? '';

/** `serverless rollback` with these options, checked by the gate first; what it left and said. */
async function resolve(options: Record<string, unknown>, stage: StagePlace = DEV_STAGE) {
  const cliOptions = { ...options };
  const notices: string[] = [];
  const error = await resolveRollbackCommit({
    stage,
    aws: DEV_AWS,
    cliOptions,
    log: { notice: (text) => notices.push(text) },
  }).then(
    () => undefined,
    (thrown: Error & { exitCode?: number }) => thrown,
  );
  return { cliOptions, notices, error };
}

// The folder the framework restores for `rollback --timestamp <t>` is the one whose time is
// `new Date(t)`, else `new Date(Number(t))` (osls lib/plugins/aws/rollback.js): the gate's check
// must read the same.
describe('frameworkTimestamp', () => {
  it.each([
    ['1733500000000', 1_733_500_000_000],
    ['2024-12-06T15:46:40.000Z', 1_733_500_000_000],
    ['2024-12-06T15:46:40Z', 1_733_500_000_000],
    ['2024-12-06', Date.UTC(2024, 11, 6)],
  ])('reads %s as the framework does', (raw, ms) => {
    expect(frameworkTimestamp(raw)).toBe(ms);
  });

  it.each(['yesterday', '1733500000000-2024-12-06T15:46:40.000Z', '9'.repeat(20)])(
    'is undefined for %j, which names no time',
    (raw) => {
      expect(frameworkTimestamp(raw)).toBeUndefined();
    },
  );
});

describe('resolveRollbackCommit', () => {
  it('turns --commit into the framework’s --timestamp of its newest trusted deployment, and says so', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { cliOptions, notices, error } = await resolve({ commit: 'GOOD' });
    // Assess
    expect(error).toBeUndefined();
    expect(cliOptions.timestamp).toBe(msOf(GOOD));
    expect(notices).toStrictEqual([
      `Rolling back to ${GOOD}, the newest deployment of commit good.`,
    ]);
  });

  it.each([true, 'true'])('says a forced rollback (--force as %j) is forced', async (force) => {
    // Prepare
    world(LIVE);
    // Act
    const { notices } = await resolve({ commit: 'good', force });
    // Assess
    expect(notices).toStrictEqual([
      `Rolling back to ${GOOD} (forced), the newest deployment of commit good.`,
    ]);
  });

  it('checks a --timestamp deployment as the gate checks its own, and keeps the framework’s name for it', async () => {
    // Prepare
    world(LIVE);
    // Act
    const good = await resolve({ timestamp: msOf(GOOD) });
    const unrecorded = await resolve({ timestamp: msOf(LIVE) });
    // Assess
    expect(good.notices).toStrictEqual([`Rolling back to ${GOOD}, as asked.`]);
    expect(good.cliOptions.timestamp).toBe(msOf(GOOD));
    expect(unrecorded.error?.exitCode).toBe(2);
    expect(unrecorded.error?.message).toBe(
      `Rollback refused: deployment ${LIVE} has no record, so nothing proves it passed its gate. Nothing was changed.`,
    );
  });

  it('restores nothing, exit 2, when the records key is not the pinned one', async () => {
    // Prepare
    world(LIVE);
    const pinned = { ...DEV_STAGE, recordsKey: { ...KEY_PIN, publicKeySha256: 'f'.repeat(64) } };
    // Act
    const { error, cliOptions } = await resolve({ commit: 'good' }, pinned);
    // Assess
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(
      /^the records key is not the pinned one, so nothing is trusted or written: .*; nothing was changed$/,
    );
    expect(cliOptions.timestamp).toBeUndefined();
  });

  it('refuses a deployment whose artifacts changed since they were verified', async () => {
    // Prepare
    world(LIVE, 'planted zip');
    // Act
    const { error, cliOptions } = await resolve({ commit: 'good' });
    // Assess
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(
      new RegExp(
        `^Rollback refused: deployment ${GOOD}'s artifacts changed since they were verified .*Nothing was changed\\.$`,
      ),
    );
    expect(cliOptions.timestamp).toBeUndefined();
  });

  it.each([
    [{ commit: 'good', timestamp: '1' }, 'pass --commit or --timestamp, not both'],
    [{ commit: 'not a sha!' }, '--commit "not a sha!" is not a commit sha or prefix'],
    [{ commit: 42 }, '--commit "42" is not a commit sha or prefix'],
    [
      { timestamp: 'garbage' },
      '--timestamp "garbage" is neither a date nor a number of milliseconds; nothing was changed',
    ],
  ])('refuses %j in one line, exit 2, before reading anything', async (options, message) => {
    // Act
    const { error } = await resolve(options);
    // Assess
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toBe(message);
    expect(s3.calls()).toHaveLength(0);
  });

  it('prefers the trusted deployment of a commit to a newer one nothing vouches for', async () => {
    // Prepare: LIVE carries an unsigned record naming commit good too.
    world(LIVE, undefined, { commit: 'good' });
    // Act
    const { cliOptions, notices } = await resolve({ commit: 'good' });
    // Assess
    expect(cliOptions.timestamp).toBe(msOf(GOOD));
    expect(notices).toStrictEqual([
      `Rolling back to ${GOOD}, the newest deployment of commit good.`,
    ]);
  });

  it.each([false, true])(
    'prefers an older verified deployment of the commit to a newer failed one (--force: %s)',
    async (force) => {
      // Prepare: LIVE, newer, signed and recorded as failed, is of commit good too.
      world(LIVE, undefined, { commit: 'good', verdict: 'failed', signed: true });
      // Act
      const { cliOptions, notices, error } = await resolve({ commit: 'good', force });
      // Assess
      expect(error).toBeUndefined();
      expect(cliOptions.timestamp).toBe(msOf(GOOD));
      expect(notices[0]).toMatch(new RegExp(`^Rolling back to ${GOOD}`));
    },
  );

  it('takes a commit named in full over a longer one it is a prefix of', async () => {
    // Prepare
    world(LIVE, undefined, { commit: 'goodbye' });
    // Act
    const { error, cliOptions } = await resolve({ commit: 'good' });
    // Assess
    expect(error).toBeUndefined();
    expect(cliOptions.timestamp).toBe(msOf(GOOD));
  });

  it('refuses a prefix two commits share, listing both', async () => {
    // Prepare
    world(LIVE, undefined, { commit: 'goodbye' });
    // Act
    const { error, cliOptions } = await resolve({ commit: 'goo' });
    // Assess
    expect(error?.exitCode).toBe(2);
    expect(error?.message.split('\n')).toStrictEqual([
      'commit prefix "goo" matches 2 commits; nothing was changed. Candidates:',
      `  ${LIVE}  commit goodbye  untrusted  LIVE`,
      `  ${GOOD}  commit good  verified`,
    ]);
    expect(cliOptions.timestamp).toBeUndefined();
  });

  it('lists the deployments when no deployment was built from the commit', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { error } = await resolve({ commit: 'od' });
    // Assess
    expect(error?.exitCode).toBe(2);
    expect(error?.message.split('\n')).toStrictEqual([
      'no deployment in the bucket was built from commit "od"; nothing was changed. Deployments:',
      `  ${LIVE}  commit unknown  unrecorded  LIVE`,
      `  ${GOOD}  commit good  verified`,
    ]);
  });

  it('leaves a --timestamp the bucket does not hold to the framework, unchanged', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { error, cliOptions, notices } = await resolve({ timestamp: '12345' });
    // Assess
    expect(error).toBeUndefined();
    expect(cliOptions).toStrictEqual({ timestamp: '12345' });
    expect(notices).toStrictEqual([]);
  });
});

describe('recordManualRollback', () => {
  const outcome = (exitCode: number): VerificationOutcome => ({
    exitCode,
    report: {
      ...failedReport,
      ok: exitCode === 0,
      verdict: exitCode === 0 ? 'verified' : 'failed',
    },
  });

  const record = async (exitCode: number, forced?: boolean) => {
    const notices: string[] = [];
    const live = await recordManualRollback({
      stage: DEV_STAGE,
      log: { notice: (text) => notices.push(text) },
      aws: DEV_AWS,
      outcome: outcome(exitCode),
      ...(forced === undefined ? {} : { forced }),
    });
    const records = s3
      .commandCalls(PutObjectCommand)
      .map((call) => JSON.parse(String(call.args[0].input.Body)) as Record<string, unknown>);
    return { live, notices, records };
  };

  it.each([
    [0, 'restored'],
    [1, 'failed'],
  ])('records what the stack now runs, verified with exit %i, as %s', async (exitCode, verdict) => {
    // Prepare: the rollback restored GOOD.
    world(GOOD);
    // Act
    const { live, records } = await record(exitCode);
    // Assess
    expect(live).toMatchObject({ directory: GOOD });
    expect(records).toStrictEqual([
      expect.objectContaining({ deployment: GOOD, verdict, note: null }),
    ]);
  });

  it('records a forced rollback as forced', async () => {
    // Prepare
    world(GOOD);
    // Act
    const { records } = await record(1, true);
    // Assess
    expect(records[0]).toMatchObject({
      verdict: 'failed',
      note: 'forced (--force) past its recorded verdict',
    });
  });

  it('says the verdict was not recorded when the books cannot be opened', async () => {
    // Prepare
    cloudFormation.on(GetTemplateCommand).rejects(new Error('Stack does not exist'));
    // Act
    const { live, notices, records } = await record(0);
    // Assess
    expect(live).toBeUndefined();
    expect(records).toStrictEqual([]);
    expect(notices).toStrictEqual([
      expect.stringMatching(
        /^deployment history unavailable \(.*Stack does not exist\): the rollback's verdict was not recorded\.$/,
      ),
    ]);
  });
});
