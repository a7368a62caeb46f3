import { DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { SignCommand } from '@aws-sdk/client-kms';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { sha256 } from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import type { RecordsKeyPin } from '../../../../packages/smoke-gate/src/deployments/records-key-pin.ts';
import {
  afterDeploy,
  rollbackSummary,
} from '../../../../packages/smoke-gate/src/gate/after-deploy.ts';
import { readSmokeSettings } from '../../../../packages/smoke-gate/src/gate/smoke-settings.ts';
import type { VerificationOutcome } from '../../../../packages/smoke-gate/src/verification/run-verification.ts';
import { devBucket, GOOD, LIVE, NEWER, ZIP } from '../../../helpers/dev-bucket.ts';
import { DEV_AWS, DEV_PREFIX, DEV_STAGE, devFramework } from '../../../helpers/dev-stage.ts';
import { DEV_SCOPE, KEY_ARN, KEY_PIN } from '../../../helpers/records-key.ts';
import { failedReport } from '../../../helpers/verify-report.ts';

const { s3, kms, cloudFormation, world, reset } = devBucket();

afterEach(reset);

const outcome = (exitCode: number): VerificationOutcome => ({
  exitCode,
  report: { ...failedReport, ok: exitCode === 0, verdict: exitCode === 0 ? 'verified' : 'failed' },
});

/** What a test changes of the framework and the gate's settings for one run. */
interface RunOptions {
  own?: { directory: string; commit: string; version: string };
  /** The framework's `rollback`, as the plugin manager spawns it (none: it offers no way). */
  spawn?: ((name: string, cliOptions: Record<string, unknown>) => Promise<void>) | null;
  /** The verification of the restored deployment. */
  restored?: VerificationOutcome;
  /** The deploy's own verification, when it is not `outcome(exitCode)`. */
  outcome?: VerificationOutcome;
  smokeTest?: Record<string, unknown>;
  /** Pass an onStep listener and keep what it was told (else the gate is given none). */
  watchSteps?: boolean;
  /** The stage's pinned records key (else the dev stage's). */
  recordsKey?: RecordsKeyPin;
}

const run = async (exitCode: number, options: RunOptions = {}) => {
  const notices: string[] = [];
  const spawned: string[] = [];
  const steps: string[] = [];
  const cliOptions: Record<string, unknown> = {};
  const spawn = options.spawn === undefined ? async () => undefined : options.spawn;
  const result = await afterDeploy({
    framework: devFramework({
      place: { ...DEV_STAGE, recordsKey: options.recordsKey ?? DEV_STAGE.recordsKey },
      spawnRollback:
        spawn === null
          ? undefined
          : async () => {
              spawned.push('rollback');
              await spawn('rollback', cliOptions);
            },
    }),
    cliOptions,
    log: { notice: (text) => notices.push(text) },
    settings: readSmokeSettings({ smokeTest: { timeout: 5, ...options.smokeTest } }),
    outcome: options.outcome ?? outcome(exitCode),
    own: options.own ?? { directory: LIVE, commit: 'commit-1795', version: '1.0.0' },
    aws: DEV_AWS,
    verify: async () => options.restored ?? outcome(0),
    hookDeadline: createDeadline(Date.now() + 10_000),
    env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9' },
    ...(options.watchSteps
      ? { onStep: (step) => steps.push(`${step.step} ${'to' in step ? step.to : ''}`.trim()) }
      : {}),
  });
  const records = s3
    .commandCalls(PutObjectCommand)
    .map((call) => JSON.parse(String(call.args[0].input.Body)) as Record<string, unknown>);
  return { result, notices, spawned, records, steps, cliOptions };
};

/** The verdicts written, in order: [deployment, verdict]. */
const written = (records: Record<string, unknown>[]) =>
  records.map((record) => [record.deployment, record.verdict]);

describe('afterDeploy', () => {
  it('records its own deployment as verified, with commit, CI run and artifact hashes', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { result, records } = await run(0);
    // Assess
    expect(result).toStrictEqual({});
    expect(records).toStrictEqual([
      expect.objectContaining({
        deployment: LIVE,
        verdict: 'verified',
        commit: 'commit-1795',
        ci: { server: 'https://github.com', repository: 'o/r', runId: '9' },
        artifacts: { 'health.zip': { sha256: sha256(Buffer.from('live zip')), versionId: 'v1' } },
        scope: DEV_SCOPE,
        signature: expect.objectContaining({ keyArn: KEY_ARN, algorithm: 'ECDSA_SHA_256' }),
      }),
    ]);
  });

  it('writes the record unsigned, and says it will show as untrusted, when signing is refused', async () => {
    // Prepare: credentials the key policy does not let sign (a rollback run by hand).
    world(LIVE);
    kms
      .on(SignCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    // Act
    const { records, notices } = await run(0);
    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ deployment: LIVE, verdict: 'verified' });
    expect(records[0]?.signature).toBeUndefined();
    expect(notices).toStrictEqual([
      expect.stringMatching(
        new RegExp(
          `^deployment ${LIVE}'s verified record is written unsigned \\(signing was refused: .*access denied.*history shows it as untrusted`,
        ),
      ),
    ]);
  });

  it('reports a record that could not be written, and the verdict stands', async () => {
    // Prepare
    world(LIVE);
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    // Act
    const { result, notices } = await run(0);
    // Assess
    expect(result).toStrictEqual({});
    expect(notices).toStrictEqual([
      expect.stringMatching(
        new RegExp(
          `^could not record deployment ${LIVE} as verified: deployment bucket .*: writing a record: access denied \\(AccessDenied\\)\\. It needs s3:PutObject on the deployment bucket\\.`,
        ),
      ),
    ]);
  });

  it.each([
    ['a PASS', 0],
    ['a FAIL', 1],
  ])(
    'neither vouches for nor rolls back a newer deploy after %s of its own (exit 2)',
    async (_name, code) => {
      // Prepare: another pipeline deployed NEWER while this one verified LIVE.
      world(NEWER);
      // Act
      const { result, spawned, records } = await run(code);
      // Assess
      expect(result.exitCode).toBe(2);
      expect(result.verdictNote).toMatch(
        new RegExp(
          `another deploy took over\\. This command deployed ${LIVE} \\(commit commit-1795\\); the stack now runs ${NEWER}`,
        ),
      );
      expect(spawned).toStrictEqual([]);
      expect(records.map((record) => [record.deployment, record.verdict])).toStrictEqual([
        [LIVE, 'superseded'],
      ]);
    },
  );

  it('rolls a FAIL back to the last verified deployment whose artifacts are unchanged', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { result, spawned, records } = await run(1);
    // Assess
    expect(result.rollback).toMatchObject({ from: LIVE, to: GOOD, error: null });
    expect(spawned).toStrictEqual(['rollback']);
    expect(records.map((record) => [record.deployment, record.verdict])).toStrictEqual([
      [LIVE, 'failed'],
      [LIVE, 'rolled-back'],
      [GOOD, 'restored'],
    ]);
  });

  it('refuses to roll back onto artifacts replaced since they were verified, and changes nothing', async () => {
    // Prepare
    world(LIVE, 'planted zip');
    // Act
    const { result, spawned } = await run(1);
    // Assess
    expect(result.rollback?.error).toMatch(
      new RegExp(
        `^refused: deployment ${GOOD}'s artifacts changed since they were verified \\(health\\.zip was replaced \\(sha256 differs\\)\\)`,
      ),
    );
    expect(spawned).toStrictEqual([]);
  });

  it('says how to get out of UPDATE_ROLLBACK_FAILED in one line, and rolls nothing back', async () => {
    // Prepare
    world(LIVE);
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackStatus: 'UPDATE_ROLLBACK_FAILED' } as never] });
    // Act
    const { result, spawned } = await run(1);
    // Assess
    expect(result.rollback?.error).toMatch(
      /UPDATE_ROLLBACK_FAILED: .*continue-update-rollback .*nothing was rolled back\.$/,
    );
    expect(result.rollback?.error).not.toContain('\n');
    expect(spawned).toStrictEqual([]);
  });

  it.each([0, 1])(
    'records and rolls back nothing, exit 2, when the records key is not the pinned one (verification exit %i)',
    async (exitCode) => {
      // Prepare
      world(LIVE);
      // Act
      const { result, records, spawned } = await run(exitCode, {
        recordsKey: { ...KEY_PIN, publicKeySha256: 'f'.repeat(64) },
      });
      // Assess
      expect(result).toStrictEqual({
        verdictNote: expect.stringMatching(
          /^deployment history unavailable \(the records key is not the pinned one, so nothing is trusted or written: .*\): nothing recorded, no rollback\.$/,
        ),
        exitCode: 2,
      });
      expect(records).toStrictEqual([]);
      expect(spawned).toStrictEqual([]);
    },
  );

  it('records nothing and rolls nothing back when the history cannot be read', async () => {
    // Prepare
    cloudFormation.on(GetTemplateCommand).rejects(new Error('Stack does not exist'));
    // Act
    const { result, records, notices } = await run(0);
    // Assess
    expect(result.verdictNote).toMatch(
      /^deployment history unavailable \(reading the template of stack .*: Stack does not exist\): nothing recorded, no rollback\.$/,
    );
    expect(notices).toStrictEqual([result.verdictNote]);
    expect(records).toStrictEqual([]);
  });

  it('rolls back with the framework’s own rollback to the target’s timestamp, then clears it', async () => {
    // Prepare
    world(LIVE);
    let during: unknown;
    // Act
    const { steps, cliOptions } = await run(1, {
      spawn: async (_name, options) => {
        during = options.timestamp;
      },
      watchSteps: true,
    });
    // Assess
    expect(during).toBe(GOOD.split('-')[0]);
    expect(cliOptions.timestamp).toBeUndefined();
    expect(steps).toStrictEqual([`rolling-back ${GOOD}`, `verifying-restored ${GOOD}`]);
  });

  it.each([
    ['passed', 0],
    ['failed', 1],
  ])(
    'records a deploy that %s as superseded, and acts on nothing, when the stack already runs another deployment (exit 2)',
    async (_verdict, exitCode) => {
      // Prepare: this deploy made NEWER; by the time the books open, the stack runs LIVE.
      world(LIVE);
      // Act
      const { result, spawned, records, notices } = await run(exitCode, {
        own: { directory: NEWER, commit: 'mine', version: '2.0.0' },
      });
      // Assess
      expect(result).toStrictEqual({
        verdictNote: expect.stringMatching(
          new RegExp(
            `^could not judge: another deploy took over\\. This command deployed ${NEWER}.*; the stack now runs ${LIVE}`,
          ),
        ),
        exitCode: 2,
        superseded: {
          own: { directory: NEWER, commit: 'mine', version: '2.0.0' },
          live: expect.objectContaining({ directory: LIVE }),
        },
      });
      expect(notices).toContain(result.verdictNote);
      expect(spawned).toStrictEqual([]);
      expect(written(records)).toStrictEqual([[NEWER, 'superseded']]);
      expect(records[0]?.note).toBe(result.verdictNote);
    },
  );

  it('rolls nothing back when another deploy took over while it was deciding (exit 2)', async () => {
    // Prepare: the books open on LIVE; right before acting, the stack runs NEWER.
    world(LIVE);
    const templateOf = (live: string) => ({
      TemplateBody: JSON.stringify({
        Resources: {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: { Code: { S3Key: `${DEV_PREFIX}${live}/health.zip` } },
          },
        },
      }),
    });
    cloudFormation
      .on(GetTemplateCommand)
      .resolvesOnce(templateOf(LIVE))
      .resolves(templateOf(NEWER));
    // Act
    const { result, spawned, records, steps, notices } = await run(1, { watchSteps: true });
    // Assess
    expect(result.exitCode).toBe(2);
    expect(notices).toContain(result.verdictNote);
    expect(result.superseded).toMatchObject({
      own: { directory: LIVE },
      live: { directory: NEWER },
    });
    expect(result.verdictNote).toMatch(/another deploy took over.*nothing was rolled back\.$/);
    expect(spawned).toStrictEqual([]);
    expect(steps).toStrictEqual([]);
    expect(written(records)).toStrictEqual([[LIVE, 'failed']]);
  });

  it('says when the framework offers no way to run its rollback, and changes nothing', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { result, records } = await run(1, { spawn: null });
    // Assess
    expect(result.rollback).toMatchObject({
      from: LIVE,
      to: GOOD,
      error: 'the framework offers no way to run its rollback from a plugin.',
      restored: null,
    });
    expect(written(records)).toStrictEqual([[LIVE, 'failed']]);
  });

  it('reports a rollback the framework could not run, records no rollback, and clears the timestamp', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { result, records, notices, cliOptions } = await run(1, {
      spawn: async () => {
        throw new Error('Stack is in UPDATE_IN_PROGRESS state');
      },
    });
    // Assess
    expect(result.rollback?.error).toBe('Stack is in UPDATE_IN_PROGRESS state.');
    expect(written(records)).toStrictEqual([[LIVE, 'failed']]);
    expect(cliOptions.timestamp).toBeUndefined();
    expect(notices.some((line) => /^Rolled back|^Rollback to/.test(line))).toBe(false);
  });

  it('records a restored deployment that fails again as failed, and says it FAILS too', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { result, records, notices } = await run(1, { restored: outcome(1) });
    // Assess
    expect(result.rollback?.restored).toMatchObject({ verdict: 'failed' });
    expect(written(records)).toStrictEqual([
      [LIVE, 'failed'],
      [LIVE, 'rolled-back'],
      [GOOD, 'failed'],
    ]);
    expect(records[1]).toMatchObject({ rolledBackTo: GOOD });
    expect(notices.some((line) => line.includes('could not be verified'))).toBe(false);
    expect(notices.at(-1)).toBe(
      `Rolled back to the last verified deployment ${GOOD} (verified 2026-11-23T12:10:30.000Z), which FAILS too.`,
    );
  });

  it('says a restored deployment that could not be verified could not, and records that', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { records, notices } = await run(1, {
      restored: { exitCode: 2, error: 'stack outputs could not be read' },
    });
    // Assess
    expect(written(records)).toStrictEqual([
      [LIVE, 'failed'],
      [LIVE, 'rolled-back'],
      [GOOD, 'could-not-judge'],
    ]);
    expect(notices).toContain(
      'The restored deployment could not be verified: stack outputs could not be read',
    );
  });

  it('keeps a FAIL live when rollback is off, records it, and says why', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { result, spawned, records } = await run(1, {
      smokeTest: { rollbackOnFailure: false },
    });
    // Assess
    expect(result).toStrictEqual({
      verdictNote:
        'No rollback: rollback is off (custom.smokeTest.rollbackOnFailure: false): the failed deployment stays live.',
    });
    expect(spawned).toStrictEqual([]);
    expect(written(records)).toStrictEqual([[LIVE, 'failed']]);
  });

  it('prints the restored deployment’s report unless --json, and the summary line last', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { notices } = await run(1);
    // Assess
    expect(notices[0]).toBe(
      `Rolling back: deployment ${LIVE} failed the smoke test; returning to ${GOOD}, verified 2026-11-23T12:10:30.000Z.`,
    );
    expect(notices.some((line) => line.includes('Smoke gate:') || /route/.test(line))).toBe(true);
    expect(notices.at(-1)).toBe(
      `Rolled back to the last verified deployment ${GOOD} (verified 2026-11-23T12:10:30.000Z), which PASSES again.`,
    );
    expect(notices.filter((line) => line !== line.trim())).toStrictEqual([]);
  });

  it('records the restored deployment with its own commit, version and verification', async () => {
    // Prepare
    world(LIVE);
    const again = outcome(0);
    if (again.report !== undefined) again.report = { ...again.report, correlationId: 'smoke-2' };
    // Act
    const { records } = await run(1, { restored: again });
    // Assess
    expect(records[2]).toMatchObject({
      deployment: GOOD,
      verdict: 'restored',
      commit: 'good',
      version: '1.0.0',
      correlationId: 'smoke-2',
    });
  });

  it('names an unknown deployment when the stack runs none it can name by the time it acts', async () => {
    // Prepare: the books open on LIVE; right before acting, the stack's function has no code key.
    world(LIVE);
    cloudFormation
      .on(GetTemplateCommand)
      .resolvesOnce({
        TemplateBody: JSON.stringify({
          Resources: {
            Fn: {
              Type: 'AWS::Lambda::Function',
              Properties: { Code: { S3Key: `${DEV_PREFIX}${LIVE}/health.zip` } },
            },
          },
        }),
      })
      .resolves({ TemplateBody: JSON.stringify({ Resources: {} }) });
    // Act
    const { result, spawned } = await run(1);
    // Assess
    expect(result.verdictNote).toMatch(/the stack now runs an unknown deployment\./);
    expect(result.superseded?.live).toBeNull();
    expect(spawned).toStrictEqual([]);
  });

  it('says which records it could not trust, before anything else', async () => {
    // Prepare
    world(LIVE, ZIP, { commit: 'x' });
    // Act
    const { notices } = await run(0);
    // Assess
    expect(notices[0]).toBe(`record of ${LIVE} untrusted: unsigned`);
  });

  it('records a deploy it could not judge as such, and rolls nothing back', async () => {
    // Prepare
    world(LIVE);
    // Act
    const { result, records, spawned } = await run(2, {
      outcome: { exitCode: 2, error: 'CloudWatch Logs: access denied' },
    });
    // Assess
    expect(spawned).toStrictEqual([]);
    expect(result.rollback).toBeUndefined();
    expect(written(records)).toStrictEqual([[LIVE, 'could-not-judge']]);
  });
});

describe('rollbackSummary', () => {
  it('says a rollback that failed left the failed deployment live, and deleted nothing', () => {
    expect(
      rollbackSummary({ from: 'a', to: GOOD, toVerifiedAt: 'then', restored: null, error: 'no.' }),
    ).toBe(
      `Rollback to ${GOOD} FAILED: no. Nothing was deleted; the failed deployment is still live.`,
    );
  });
});
