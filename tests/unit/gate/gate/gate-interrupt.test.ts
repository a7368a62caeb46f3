import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INTERRUPT_RECORD_MS } from '../../../../packages/smoke-gate/src/core/interruption.ts';
import { sha256 } from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import {
  type GateWatchInput,
  interruptedFirstLine,
  reportGateInterrupted,
} from '../../../../packages/smoke-gate/src/gate/gate-interrupt.ts';
import type {
  FrameworkStage,
  GateStep,
  SmokeTrigger,
} from '../../../../packages/smoke-gate/src/gate/gate-steps.ts';
import {
  readSmokeSettings,
  type SmokeSettings,
} from '../../../../packages/smoke-gate/src/gate/smoke-settings.ts';
import {
  DEV_AWS,
  DEV_PREFIX,
  DEV_STAGE,
  devFramework,
  s3Body,
} from '../../../helpers/dev-stage.ts';
import { KEY_ARN, mockRecordsKey } from '../../../helpers/records-key.ts';

const SIGINT = { signal: 'SIGINT', exitCode: 130 } as const;
const OWN = {
  directory: '1764680000000-2025-12-02T13:33:20.000Z',
  commit: 'abc123',
  version: null,
};

describe('interruptedFirstLine: what an interrupted gate says is live', () => {
  it('names the new deployment as live and not verified while the gate verifies it', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy',
      { current: { step: 'verifying' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toBe(
      `Smoke test interrupted by SIGINT: the new deployment ${OWN.directory} of stack orders-prod is live and NOT verified.`,
    );
  });

  it.each([
    ['failed', 'was judged failed; no rollback had started.'],
    ['could-not-judge', 'was judged could-not-judge; no rollback had started.'],
    ['verified', 'PASSED its smoke test.'],
  ] as const)(
    'says what the verdict was when interrupted after a %s verdict, nothing acting on it yet',
    (verdict, end) => {
      // Act
      const line = interruptedFirstLine(
        SIGINT,
        'deploy',
        { current: { step: 'judged', verdict }, own: OWN },
        'orders-prod',
      );
      // Assess
      expect(line).toBe(
        `Smoke test interrupted by SIGINT after its verdict: the new deployment ${OWN.directory} of stack orders-prod is live and ${end}`,
      );
      expect(line).not.toMatch(/Rolling back|rollback .* was started/);
    },
  );

  it('says a started rollback is finished by CloudFormation on its own', () => {
    // Act
    const line = interruptedFirstLine(
      { signal: 'SIGTERM', exitCode: 143 },
      'deploy',
      { current: { step: 'rolling-back', to: 'earlier' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toMatch(
      /^Smoke test interrupted by SIGTERM: a rollback of stack orders-prod to deployment earlier was started; CloudFormation finishes it on its own/,
    );
  });

  it('says the restored deployment is live and not verified again', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy',
      { current: { step: 'verifying-restored', to: 'earlier' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toContain(
      'rolled back to deployment earlier, which is live and NOT verified again',
    );
  });

  it.each([
    ['7', 'no caller reached it: live still serves version 7.'],
    [undefined, 'no caller reached it: there is no live alias yet.'],
  ])('in the traffic mode, says no caller reached a candidate (live before: %s)', (live, end) => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy',
      { current: { step: 'verifying-candidate', version: '8', live }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toMatch(
      /version 8 of stack orders-prod was on the candidate stage only and NOT verified/,
    );
    expect(line.endsWith(end)).toBe(true);
  });

  it('in the traffic mode, says live moved and its public check did not finish', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy',
      { current: { step: 'verifying-promoted', version: '8', live: '7' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toContain(
      'live of stack orders-prod was moved to version 8, which passed on the candidate stage; its check on the public route did not finish (version 7 served before).',
    );
  });

  it('in a shift, says live is left weighted as it was, and that promote or abort end it', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy',
      { current: { step: 'shifting', version: '8', live: '7', percent: 20 }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toMatch(
      /during a shift: live of stack orders-prod is left as it was: version 8 at 20%, the rest on version 7; nothing moved it back\. Finish the shift with promote, or undo it with abort \(below\)\.$/,
    );
  });

  it('says serverless smoke changed nothing', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'command',
      { current: { step: 'verifying' }, own: undefined },
      'orders-prod',
    );
    // Assess
    expect(line).toContain('stack orders-prod runs what it ran; this verification changed nothing');
  });

  it('names the function’s new code after a code-only deploy', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy-function',
      { current: { step: 'verifying' }, own: undefined },
      'orders-prod',
    );
    // Assess
    expect(line).toContain("the function's new code of stack orders-prod is live and NOT verified");
  });
});

const s3 = mockClient(S3Client);
const cloudFormation = mockClient(CloudFormationClient);
const { kms, answer: answerKms } = mockRecordsKey();

afterEach(() => {
  vi.useRealTimers();
  s3.reset();
  cloudFormation.reset();
  kms.reset();
  answerKms();
});

/** The gate's watch input after `serverless deploy`, verifying OWN; `notices` collects its lines. */
const gateInput = (parts: {
  notices: string[];
  step?: GateStep;
  trigger?: SmokeTrigger;
  framework?: FrameworkStage;
  settings?: SmokeSettings;
  stdout?: string[];
  env?: NodeJS.ProcessEnv;
}): GateWatchInput => ({
  framework: parts.framework ?? devFramework(),
  log: { notice: (text) => parts.notices.push(text) },
  trigger: parts.trigger ?? 'deploy',
  settings: parts.settings ?? readSmokeSettings({ smokeTest: {} }),
  aws: DEV_AWS,
  state: { current: parts.step ?? { step: 'verifying' }, own: OWN },
  stdout: { write: (text: string) => parts.stdout?.push(text) },
  env: parts.env ?? {},
});

/** The bucket holds OWN's zip, and writes succeed. */
const bucketWithOwnZip = () => {
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
    Contents: [{ Key: `${DEV_PREFIX}${OWN.directory}/health.zip` }].filter((o) =>
      o.Key.startsWith(input.Prefix),
    ),
  }));
  s3.on(GetObjectCommand).resolves({
    Body: s3Body('zip'),
    VersionId: 'v1',
  });
  s3.on(PutObjectCommand).resolves({ VersionId: 'v-written' });
};

describe('reportGateInterrupted: the record an interrupted deploy leaves', () => {
  // The 1.5 s the record has runs on a fake clock: only the case that says so lets it pass, so
  // a loaded machine cannot turn a record into "did not fit".
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });

  it('records the new deployment as interrupted, signed, reading only its own artifacts', async () => {
    // Prepare: the bucket holds the new deployment's zip; the stack and the history are never needed.
    bucketWithOwnZip();
    const notices: string[] = [];
    // Act
    await reportGateInterrupted(gateInput({ notices }), SIGINT);
    // Assess
    expect(notices).toContain(`Recorded deployment ${OWN.directory} as interrupted.`);
    const written = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(written).toHaveLength(1);
    expect(written[0]?.Key).toBe(`${DEV_PREFIX}smoke-records/${OWN.directory}.json`);
    expect(JSON.parse(String(written[0]?.Body))).toMatchObject({
      deployment: OWN.directory,
      verdict: 'interrupted',
      commit: 'abc123',
      note: 'interrupted',
      artifacts: { 'health.zip': { sha256: sha256(Buffer.from('zip')), versionId: 'v1' } },
      signature: { keyArn: KEY_ARN },
    });
    // In its 1.5 s it reads no template and no history: only the folder it hashes.
    expect(cloudFormation.calls()).toHaveLength(0);
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(0);
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix)).toStrictEqual([
      `${DEV_PREFIX}${OWN.directory}/`,
    ]);
  });

  it('keeps a FAIL it had reached: records the verdict, not interrupted, saying it was interrupted after it', async () => {
    // Prepare
    bucketWithOwnZip();
    const notices: string[] = [];
    // Act
    await reportGateInterrupted(
      gateInput({ notices, step: { step: 'judged', verdict: 'failed' } }),
      SIGINT,
    );
    // Assess
    expect(notices).toContain(`Recorded deployment ${OWN.directory} as failed.`);
    const written = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(JSON.parse(String(written[0]?.Body))).toMatchObject({
      deployment: OWN.directory,
      verdict: 'failed',
      note: 'interrupted after its verdict',
    });
  });

  it('records nothing once a rollback has started: the rollback records what it did', async () => {
    // Prepare
    bucketWithOwnZip();
    const notices: string[] = [];
    // Act
    await reportGateInterrupted(
      gateInput({ notices, step: { step: 'rolling-back', to: 'earlier' } }),
      SIGINT,
    );
    // Assess
    expect(notices).toContain(
      'Nothing was recorded: the gate had no verdict of its own to replace.',
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('says why it is not recorded when the write is refused', async () => {
    // Prepare
    bucketWithOwnZip();
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    const notices: string[] = [];
    // Act
    await reportGateInterrupted(gateInput({ notices }), SIGINT);
    // Assess
    expect(notices.at(-2)).toMatch(
      /^could not record deployment .* as interrupted: .*access denied \(AccessDenied\)\. It needs s3:PutObject on the deployment bucket/,
    );
    expect(notices.at(-1)).toBe(
      `The verdict was NOT recorded: deployment ${OWN.directory} keeps no verdict of this run. (writing it failed, as said above)`,
    );
  });

  it('says why it is not recorded when the deployment bucket cannot be opened', async () => {
    // Prepare: a framework that names no deployment bucket.
    const notices: string[] = [];
    const bare = devFramework({
      place: {
        ...DEV_STAGE,
        bucket: () => Promise.reject(new Error('this framework version exposes no bucket')),
      },
    });
    // Act
    await reportGateInterrupted(gateInput({ notices, framework: bare }), SIGINT);
    // Assess
    expect(notices.at(-1)).toBe(
      `The verdict was NOT recorded: deployment ${OWN.directory} keeps no verdict of this run. (the deployment bucket could not be opened: this framework version exposes no bucket)`,
    );
    expect(s3.calls()).toHaveLength(0);
  });

  it('says it did not fit when recording takes longer than its 1.5 s', async () => {
    // Prepare: the framework never names the bucket.
    const notices: string[] = [];
    const stuck = devFramework({
      place: { ...DEV_STAGE, bucket: () => new Promise<string>(() => undefined) },
    });
    // Act
    const reported = reportGateInterrupted(gateInput({ notices, framework: stuck }), SIGINT);
    await vi.advanceTimersByTimeAsync(INTERRUPT_RECORD_MS);
    await reported;
    // Assess
    expect(notices.at(-1)).toBe(
      `The verdict was NOT recorded: deployment ${OWN.directory} keeps no verdict of this run. (it did not fit in 1.5 s)`,
    );
  });

  it('records nothing for serverless smoke, and writes the block, JSON, JUnit and the job summary', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'petsage-interrupt-'));
    const notices: string[] = [];
    const stdout: string[] = [];
    const junitPath = join(dir, 'smoke.xml');
    const summary = join(dir, 'summary.md');
    try {
      // Act
      await reportGateInterrupted(
        gateInput({
          notices,
          stdout,
          trigger: 'command',
          settings: { ...readSmokeSettings({ smokeTest: {} }), json: true, junitPath },
          env: { GITHUB_STEP_SUMMARY: summary },
        }),
        SIGINT,
      );
      // Assess
      expect(notices[0]).toMatch(
        /^Smoke test interrupted .* before a verdict: stack petsage-smoke-test-dev runs what it ran/,
      );
      expect(notices[0]).toContain('go back:');
      expect(notices.at(-1)).toBe(
        'Nothing was recorded: the gate had no verdict of its own to replace.',
      );
      expect(s3.calls()).toHaveLength(0);
      expect(stdout).toHaveLength(1);
      expect(JSON.parse(stdout[0] ?? '')).toMatchObject({
        ok: false,
        verdict: 'interrupted',
        signal: 'SIGINT',
      });
      expect(await readFile(junitPath, 'utf8')).toContain('verdict" value="interrupted"');
      expect(await readFile(summary, 'utf8')).toContain('petsage-smoke-test-dev');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
