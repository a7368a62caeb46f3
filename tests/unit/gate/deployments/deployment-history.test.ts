import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import type { RecordedVerdict } from '../../../../packages/smoke-gate/src/core/verdicts.ts';
import {
  type Deployment,
  decideRollback,
  deploymentHistory,
  deploymentOfKey,
  liveCode,
  liveDeployment,
  type RollbackDecision,
} from '../../../../packages/smoke-gate/src/deployments/deployment-history.ts';
import type { DeploymentRecord } from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import { publicKeyOf } from '../../../../packages/smoke-gate/src/deployments/record-signature.ts';
import {
  type AnchorState,
  recordSha256,
} from '../../../../packages/smoke-gate/src/deployments/stage-anchor.ts';
import type { Verdict } from '../../../../packages/smoke-gate/src/verification/verify-deployment.ts';
import {
  DEV_SCOPE,
  KEY_ARN,
  KEY_PIN,
  keyPair,
  signedRecord,
} from '../../../helpers/records-key.ts';

const d = (n: number, verifiedAt: string | null = null): Deployment => ({
  directory: `179543${n}000000-2026-11-23T12:0${n}:00.000Z`,
  timestamp: Number(`179543${n}000000`),
  record: null,
  untrusted: null,
  verifiedAt,
});

/** The records key as the gate holds it once opened. */
const testKey = {
  arn: KEY_ARN,
  account: DEV_SCOPE.account,
  region: DEV_SCOPE.region,
  publicKey: publicKeyOf(keyPair.publicKey.export({ format: 'der', type: 'spki' })),
  sign: async () => new Uint8Array(),
};

const identity = (deployment: Deployment) => ({
  directory: deployment.directory,
  commit: null,
  version: null,
});

const v1 = d(1, '2026-11-23T12:01:05.000Z');
const v2 = d(2);
const v3 = d(3);

const decide = (
  exitCode: number,
  verdict: Verdict | undefined,
  live: Deployment,
  deployments: Deployment[],
  enabled = true,
): RollbackDecision =>
  decideRollback({
    exitCode,
    verdict,
    enabled,
    disabledBy: enabled ? undefined : '--skip-rollback',
    history: { live: identity(live), deployments, ignored: [], rewound: null },
  });

describe('decideRollback (verdict x history -> action)', () => {
  it('records a verified deployment', () => {
    expect(decide(0, 'verified', v2, [v2, v1])).toStrictEqual({
      action: 'record',
      deployment: v2.directory,
    });
  });

  it('rolls a definitive FAIL back to the last verified deployment', () => {
    expect(decide(1, 'failed', v2, [v2, v1])).toStrictEqual({
      action: 'rollback',
      from: v2.directory,
      to: v1,
    });
  });

  it('returns to the last good one, not the previous one, after two failing deploys', () => {
    expect(decide(1, 'failed', v3, [v3, v2, v1])).toMatchObject({ action: 'rollback', to: v1 });
  });

  it.each([
    ['inconclusive (throttled)', 2, 'inconclusive'],
    ['a configuration error', 2, undefined],
  ] as const)(
    'never rolls back when the verification could not judge: %s',
    (_name, code, verdict) => {
      const decision = decide(code, verdict, v2, [v2, v1]);
      expect(decision).toStrictEqual({
        action: 'keep',
        reason: expect.stringMatching(/could not judge.*only a definitive FAIL/),
      });
    },
  );

  it.each([
    ['exit 1 without a failed verdict (an error after the verdict)', 1, undefined],
    ['exit 2 that names a failed verdict', 2, 'failed' as const],
    ['could not judge', 2, 'inconclusive' as const],
  ])('rolls back only on exit 1 and a failed verdict together, not on %s', (_n, code, verdict) => {
    expect(decide(code, verdict, v2, [v2, v1])).toMatchObject({ action: 'keep' });
  });

  it('keeps the deployment when rollback is off, and says which switch', () => {
    const decision = decide(1, 'failed', v2, [v2, v1], false);
    expect(decision).toStrictEqual({
      action: 'keep',
      reason: expect.stringMatching(/rollback is off \(--skip-rollback\)/),
    });
  });

  it('has nothing to return to on a failing first deploy or after pruning', () => {
    const decision = decide(1, 'failed', v2, [v2]);
    expect(decision).toStrictEqual({
      action: 'keep',
      reason: expect.stringMatching(/no verified deployment to return to/),
    });
  });

  it('does not roll back when the live deployment passed before (nothing new broke it)', () => {
    const decision = decide(1, 'failed', v1, [v2, v1]);
    expect(decision).toStrictEqual({
      action: 'keep',
      reason: expect.stringMatching(/passed on .* did not come with a new deployment/),
    });
  });
});

describe('decideRollback keeps what it cannot act on, and says why', () => {
  it('keeps a verified deploy whose live deployment it cannot name', () => {
    expect(
      decideRollback({
        exitCode: 0,
        verdict: 'verified',
        enabled: true,
        history: { live: undefined, deployments: [], ignored: [], rewound: null },
      }),
    ).toStrictEqual({
      action: 'keep',
      reason: 'verified, but the live deployment could not be identified',
    });
  });

  it.each([
    [2, 'inconclusive'],
    [1, 'inconclusive'],
  ] as const)(
    'rolls nothing back on exit %i (%s): only a definitive FAIL does',
    (code, verdict) => {
      expect(decide(code, verdict, v2, [v2, v1])).toStrictEqual({
        action: 'keep',
        reason:
          'the verification could not judge this deployment (exit 2), so nothing is rolled back: only a definitive FAIL rolls back. The deployment stays live.',
      });
    },
  );
});

describe('decideRollback when another deploy took over', () => {
  it.each([
    ['a PASS', 0, 'verified'],
    ['a FAIL', 1, 'failed'],
  ] as const)(
    'neither records nor rolls back %s of a deployment no longer live',
    (_name, code, verdict) => {
      // Act
      const decision = decideRollback({
        exitCode: code,
        verdict,
        enabled: true,
        history: { live: identity(v3), deployments: [v3, v2, v1], ignored: [], rewound: null },
        own: identity(v2),
      });
      // Assess
      expect(decision).toStrictEqual({
        action: 'superseded',
        own: identity(v2),
        live: identity(v3),
      });
    },
  );
});

describe('deploymentOfKey', () => {
  it('reads the artifact directory of a framework key', () => {
    expect(
      deploymentOfKey(
        'serverless/petsage-smoke-test/prod/1795435817943-2026-11-23T12:10:17.943Z/health.zip',
      ),
    ).toBe('1795435817943-2026-11-23T12:10:17.943Z');
    expect(
      deploymentOfKey('serverless/petsage-smoke-test/prod/smoke-verified/x.json'),
    ).toBeUndefined();
  });
});

describe('deploymentHistory: what a rollback may return to, from the bucket', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());
  const PREFIX = 'serverless/petsage-smoke-test/dev/';
  const dirOf = (n: number) => `179543${n}000000-2026-11-23T12:0${n}:00.000Z`;
  const recordOf = (n: number, verdict: RecordedVerdict, at = `2026-11-23T12:0${n}:30.000Z`) => ({
    schema: 1 as const,
    deployment: dirOf(n),
    verdict,
    at,
    commit: `c${n}`,
    version: null,
    ci: null,
    artifacts: { 'health.zip': { sha256: 'a'.repeat(64), versionId: null } },
    correlationId: null,
    rolledBackTo: null,
    note: null,
  });
  /** The bucket: deployments 1..n, each with the record versions given (newest first). */
  const bucket = (
    versions: Record<number, (DeploymentRecord | string)[]>,
    writtenAt: (n: number) => Date = (n) => new Date(Number(`179543${n}000000`) + 1000),
  ) => {
    const numbers = Object.keys(versions).map(Number);
    s3.on(ListObjectsV2Command).resolves({
      Contents: numbers.flatMap((n) => [
        { Key: `${PREFIX}${dirOf(n)}/health.zip`, LastModified: writtenAt(n) },
        { Key: `${PREFIX}smoke-records/${dirOf(n)}.json`, LastModified: writtenAt(n) },
      ]),
    });
    s3.on(ListObjectVersionsCommand).callsFake((input: { Prefix: string }) => {
      const n = numbers.find((k) => input.Prefix.endsWith(`${dirOf(k)}.json`)) ?? 0;
      return {
        Versions: (versions[n] ?? []).map((_, i) => ({
          Key: input.Prefix,
          VersionId: `v${i}`,
          IsLatest: i === 0,
        })),
      };
    });
    s3.on(GetObjectCommand).callsFake((input: { Key: string; VersionId?: string }) => {
      const n = numbers.find((k) => input.Key.endsWith(`${dirOf(k)}.json`)) ?? 0;
      const record = versions[n]?.[Number(input.VersionId?.slice(1) ?? 0)];
      const text = typeof record === 'string' ? record : JSON.stringify(record);
      // S3 wrote each version of deployment n's record at 12:0n:31.
      const LastModified = new Date(`2026-11-23T12:0${n}:31.000Z`);
      return { Body: { transformToString: async () => text } as never, LastModified };
    });
  };
  const read = (anchor?: AnchorState) =>
    deploymentHistory(
      {
        s3: new S3Client({ region: 'us-east-1' }),
        bucket: 'b',
        prefix: PREFIX,
        deadline: createDeadline(Date.now() + 10_000),
      },
      { directory: dirOf(4), commit: 'c4', version: null },
      {
        key: testKey,
        keyProblem: '',
        service: 'petsage-smoke-test',
        stage: 'dev',
        ...(anchor === undefined ? {} : { anchor: { state: anchor, name: 'anchor' } }),
      },
    );
  const signed = (record: DeploymentRecord) => signedRecord(record, DEV_SCOPE);

  it('never counts a deployment recorded as failed, rolled back or superseded as verified', async () => {
    // Prepare
    bucket({
      1: [signed(recordOf(1, 'failed'))],
      2: [signed(recordOf(2, 'rolled-back'))],
      3: [signed(recordOf(3, 'superseded'))],
    });
    // Act
    const { deployments } = await read();
    // Assess
    expect(deployments.map((d) => d.verifiedAt)).toStrictEqual([null, null, null]);
  });

  it('counts verified and restored, newest first, so a rollback returns to the newest', async () => {
    // Prepare: listed oldest first, as S3 lists keys.
    bucket({ 1: [signed(recordOf(1, 'verified'))], 2: [signed(recordOf(2, 'restored'))] });
    // Act
    const { deployments } = await read();
    // Assess
    expect(deployments.map((d) => [d.directory, d.verifiedAt])).toStrictEqual([
      [dirOf(2), '2026-11-23T12:02:30.000Z'],
      [dirOf(1), '2026-11-23T12:01:30.000Z'],
    ]);
  });

  it('keeps the newest signed verdict when an older signed version is the current one (no replay)', async () => {
    // Prepare: verified at :30, then rolled back at :50; the verified copy restored on top.
    const older = signed(recordOf(1, 'verified', '2026-11-23T12:01:30.000Z'));
    const newer = signed(recordOf(1, 'rolled-back', '2026-11-23T12:01:50.000Z'));
    bucket({ 1: [older, newer, older] });
    // Act
    const { deployments } = await read();
    // Assess
    expect(deployments[0]).toMatchObject({ verifiedAt: null, untrusted: null });
    expect(deployments[0]?.record?.verdict).toBe('rolled-back');
  });

  it('names a current version that is not a record, and keeps the older signed one', async () => {
    // Prepare
    bucket({ 1: ['not json', signed(recordOf(1, 'verified')), 'also not json'] });
    // Act
    const { deployments, ignored } = await read();
    // Assess
    expect(deployments[0]?.verifiedAt).toBe('2026-11-23T12:01:30.000Z');
    expect(ignored).toStrictEqual([`record of ${dirOf(1)} ignored: not JSON`]);
  });

  it('keeps no record when no version is one', async () => {
    bucket({ 1: ['not json', '{}'] });
    const { deployments } = await read();
    expect(deployments[0]).toMatchObject({ record: null, untrusted: null, verifiedAt: null });
  });

  it('keeps the current version of two signed at the same time', async () => {
    // Prepare: a rolled-back and a verified record signed in the same millisecond.
    const at = '2026-11-23T12:01:30.000Z';
    bucket({ 1: [signed(recordOf(1, 'rolled-back', at)), signed(recordOf(1, 'verified', at))] });
    // Act
    const { deployments } = await read();
    // Assess
    expect(deployments[0]?.record?.verdict).toBe('rolled-back');
  });

  it('ignores a deployment folder named more than 10 minutes after S3 wrote it, and says so', async () => {
    // Prepare: folder 2 claims a time 11 minutes after its objects were written.
    bucket(
      { 1: [signed(recordOf(1, 'verified'))], 2: [signed(recordOf(2, 'verified'))] },
      (n) => new Date(Number(`179543${n}000000`) - (n === 2 ? 11 * 60_000 : 0)),
    );
    // Act
    const { deployments, ignored } = await read();
    // Assess
    expect(deployments.map((d) => d.directory)).toStrictEqual([dirOf(1)]);
    expect(ignored).toStrictEqual([
      `deployment folder ${dirOf(2)} ignored: named more than 10 minutes after S3 wrote its objects`,
    ]);
  });

  it('does not trust a signed time far after S3 wrote the record: a year-9999 verdict never outranks a later one', async () => {
    // Prepare: the genuine FAIL is current; an older version, signed, claims year 9999.
    const future = signed(recordOf(1, 'verified', '9999-01-01T00:00:00.000Z'));
    bucket({ 1: [signed(recordOf(1, 'failed')), future] });
    // Act
    const { deployments } = await read();
    // Assess
    expect(deployments[0]).toMatchObject({ verifiedAt: null, untrusted: null });
    expect(deployments[0]?.record?.verdict).toBe('failed');
  });

  it('calls a record signed for a time far after S3 wrote it untrusted, and says when', async () => {
    // Prepare
    bucket({ 1: [signed(recordOf(1, 'verified', '9999-01-01T00:00:00.000Z'))] });
    // Act
    const { deployments, ignored } = await read();
    // Assess
    const why = 'dated 9999-01-01T00:00:00.000Z, more than 10 minutes after S3 wrote it';
    expect(deployments[0]).toMatchObject({ verifiedAt: null, untrusted: why });
    expect(ignored).toStrictEqual([`record of ${dirOf(1)} untrusted: ${why}`]);
  });

  it('trusts a record signed within 10 minutes of when S3 wrote it (clocks differ)', async () => {
    // Prepare: S3 wrote it at 12:01:31; it says 12:10:30.
    bucket({ 1: [signed(recordOf(1, 'verified', '2026-11-23T12:10:30.000Z'))] });
    // Act
    const { deployments } = await read();
    // Assess
    expect(deployments[0]?.verifiedAt).toBe('2026-11-23T12:10:30.000Z');
  });

  it('calls a deployment whose record has more versions than the gate reads untrusted, never a rollback target', async () => {
    // Prepare: the signed verified version re-put past the bound.
    const copies = Array.from({ length: 51 }, () => signed(recordOf(1, 'verified')));
    bucket({ 1: copies });
    // Act
    const { deployments, ignored } = await read();
    // Assess
    expect(deployments[0]).toMatchObject({ record: null, verifiedAt: null });
    expect(deployments[0]?.untrusted).toMatch(/^it has more than 50 stored versions/);
    expect(ignored[0]).toMatch(new RegExp(`^record of ${dirOf(1)} untrusted: it has more than 50`));
  });

  describe('against the stage’s anchor', () => {
    const numbered = (n: number, verdict: RecordedVerdict, sequence: number, at?: string) =>
      signed({ ...recordOf(n, verdict, at), sequence });
    const anchoredAt = (record: DeploymentRecord, n: number): AnchorState => ({
      kind: 'anchored',
      sequence: record.sequence ?? 0,
      deployment: dirOf(n),
      recordSha256: recordSha256(JSON.stringify(record)),
      at: record.at,
    });

    it('trusts a stage whose anchored record is in the bucket', async () => {
      // Prepare
      const newest = numbered(2, 'verified', 2);
      bucket({ 1: [numbered(1, 'verified', 1)], 2: [newest] });
      // Act
      const history = await read(anchoredAt(newest, 2));
      // Assess
      expect(history.rewound).toBeNull();
      expect(history.deployments.map((d) => d.verifiedAt !== null)).toStrictEqual([true, true]);
    });

    it('calls the stage rewound, and nothing in it a rollback target, when its anchored record was deleted', async () => {
      // Prepare: #2 (failed) is what the anchor names; only #1 (verified) is left.
      const deleted = numbered(1, 'failed', 2, '2026-11-23T12:01:50.000Z');
      bucket({ 1: [numbered(1, 'verified', 1)] });
      // Act
      const history = await read(anchoredAt(deleted, 1));
      // Assess
      const why = `its newest record (#2, deployment ${dirOf(1)}, per the stage's anchor) is no longer in the bucket: a record was deleted or put back`;
      expect(history.rewound).toBe(why);
      expect(history.deployments[0]).toMatchObject({
        verifiedAt: null,
        untrusted: `the stage was rewound: ${why}`,
      });
      expect(history.ignored).toContain(`the stage's records are untrusted (rewound): ${why}`);
    });

    it('calls the stage rewound when its anchor is gone but a record was anchored', async () => {
      // Prepare
      bucket({ 1: [numbered(1, 'verified', 3)] });
      // Act
      const history = await read({ kind: 'none' });
      // Assess
      expect(history.rewound).toBe(
        "the stage's anchor is gone, but its records were anchored up to #3",
      );
    });

    it('reads the anchored record even when its deployment folder is gone', async () => {
      // Prepare: deployment 2's folder pruned; its record (the anchored one) still there.
      const newest = numbered(2, 'restored', 5);
      bucket({ 1: [numbered(1, 'verified', 4)], 2: [newest] });
      s3.on(ListObjectsV2Command).resolves({
        Contents: [
          { Key: `${PREFIX}${dirOf(1)}/health.zip`, LastModified: new Date(1795431001000) },
          { Key: `${PREFIX}smoke-records/${dirOf(1)}.json`, LastModified: new Date(1795431001000) },
          { Key: `${PREFIX}smoke-records/${dirOf(2)}.json`, LastModified: new Date(1795432001000) },
        ],
      });
      // Act
      const history = await read(anchoredAt(newest, 2));
      // Assess
      expect(history.rewound).toBeNull();
      expect(history.deployments.map((d) => d.directory)).toStrictEqual([dirOf(1)]);
    });
  });

  it('never counts an unsigned verified record, and says why', async () => {
    // Prepare
    bucket({ 1: [recordOf(1, 'verified')] });
    // Act
    const { deployments, ignored } = await read();
    // Assess
    expect(deployments[0]).toMatchObject({ verifiedAt: null, untrusted: 'unsigned' });
    expect(ignored).toStrictEqual([`record of ${dirOf(1)} untrusted: unsigned`]);
  });
});

describe('liveCode: what the stack runs, read from its template', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  afterEach(() => cloudFormation.reset());
  const DIR = '1795435800000-2026-11-23T12:10:00.000Z';
  const template = (codeKey: string | undefined, metadata?: Record<string, unknown>) =>
    cloudFormation.on(GetTemplateCommand).resolves({
      TemplateBody: JSON.stringify({
        ...(metadata === undefined ? {} : { Metadata: metadata }),
        Resources: {
          Bucket: { Type: 'AWS::S3::Bucket' },
          Fn: {
            Type: 'AWS::Lambda::Function',
            Metadata: { 'petsage:release': 'abc123', 'petsage:version': '1.2.0' },
            Properties: { Code: codeKey === undefined ? {} : { S3Key: codeKey } },
          },
        },
      }),
    });
  const read = () =>
    liveCode(
      new CloudFormationClient({ region: 'us-east-1' }),
      'svc-dev',
      createDeadline(Date.now() + 10_000),
    );

  it('names the function and its zip in the deployment, for the code it runs', async () => {
    // Prepare
    cloudFormation.on(GetTemplateCommand).resolves({
      TemplateBody: JSON.stringify({
        Resources: {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              FunctionName: 'svc-dev-health',
              Code: { S3Key: `serverless/svc/dev/${DIR}/health.zip` },
            },
          },
        },
      }),
    });
    // Act
    const code = await read();
    // Assess
    expect(code?.code).toStrictEqual({ functionName: 'svc-dev-health', zip: 'health.zip' });
  });

  it('knows no live deployment for a stack that sends no template', async () => {
    cloudFormation.on(GetTemplateCommand).resolves({});
    expect(await read()).toBeUndefined();
  });

  it('reads the deployment, its build stamp, its prefix and the records key the stack pins', async () => {
    template(`custom/svc/dev/${DIR}/health.zip`, { SmokeGate: { RecordsKey: KEY_PIN } });
    expect(await read()).toStrictEqual({
      live: { directory: DIR, commit: 'abc123', version: '1.2.0' },
      prefix: 'custom/svc/dev/',
      recordsKey: KEY_PIN,
      code: undefined,
    });
    expect(cloudFormation.commandCalls(GetTemplateCommand)[0]?.args[0].input).toStrictEqual({
      StackName: 'svc-dev',
    });
  });

  it.each([
    ['no records key', undefined],
    ['metadata of its own, but not the gate’s', { Other: {} }],
    ['an alias, not a pin', { SmokeGate: { RecordsKey: 'alias/other-key' } }],
    ['a pin without its fingerprint', { SmokeGate: { RecordsKey: { arn: KEY_ARN } } }],
    ['one that is not an object', { SmokeGate: { RecordsKey: 7 } }],
  ])('pins no records key for a stack with %s', async (_what, metadata) => {
    template(`serverless/svc/dev/${DIR}/health.zip`, metadata);
    expect((await read())?.recordsKey).toBeUndefined();
  });

  it.each([
    ['no code key', undefined],
    ['a code key outside any deployment folder', 'serverless/svc/dev/health.zip'],
  ])('knows no live deployment for a function with %s', async (_what, key) => {
    template(key);
    expect(await read()).toBeUndefined();
    expect(
      await liveDeployment(
        new CloudFormationClient({ region: 'us-east-1' }),
        'svc-dev',
        createDeadline(Date.now() + 10_000),
      ),
    ).toBeUndefined();
  });
});
