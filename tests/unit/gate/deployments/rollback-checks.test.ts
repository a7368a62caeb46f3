import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import type { Books } from '../../../../packages/smoke-gate/src/deployments/deployment-books.ts';
import type { Deployment } from '../../../../packages/smoke-gate/src/deployments/deployment-history.ts';
import {
  type DeploymentRecord,
  sha256,
} from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import {
  artifactChanges,
  rollbackRefusal,
  versionRefusal,
} from '../../../../packages/smoke-gate/src/deployments/rollback-checks.ts';

const DIR = '1795435800000-2026-11-23T12:10:00.000Z';
const HASH = 'a'.repeat(64);
const s3 = mockClient(S3Client);

afterEach(() => {
  s3.reset();
});

/** The deployment's template in the bucket, stamped with `commit`. */
const templateStamped = (commit: string) =>
  s3.on(GetObjectCommand).resolves({
    Body: {
      transformToString: async () =>
        JSON.stringify({
          Resources: {
            Fn: { Type: 'AWS::Lambda::Function', Metadata: { 'petsage:release': commit } },
          },
        }),
    } as never,
  });

const record = (change: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  schema: 1,
  deployment: DIR,
  verdict: 'verified',
  at: '2026-11-23T12:10:40.000Z',
  commit: 'good',
  version: null,
  ci: null,
  artifacts: { 'health.zip': { sha256: HASH, versionId: 'v1' } },
  correlationId: null,
  rolledBackTo: null,
  note: null,
  ...change,
});

const deployment = (
  recorded: DeploymentRecord | null,
  untrusted: string | null = null,
): Deployment => ({
  directory: DIR,
  timestamp: 1795435800000,
  record: recorded,
  untrusted,
  verifiedAt: null,
});

/** The stage's books with the artifacts the bucket holds now. */
const books = (now = { 'health.zip': { sha256: HASH, versionId: 'v1' } }) =>
  ({
    s3: new S3Client({ region: 'us-east-1' }),
    bucket: 'bucket',
    prefix: 'serverless/svc/dev/',
    deadline: createDeadline(Date.now() + 10_000),
    artifactsOf: async () => now,
  }) as unknown as Books;

describe('rollbackRefusal: every rollback checked the same way', () => {
  it('lets a trusted verified deployment with unchanged artifacts and a matching stamp through', async () => {
    templateStamped('good');
    expect(await rollbackRefusal(books(), deployment(record()))).toBeUndefined();
  });

  it('never restores a deployment whose record is untrusted, even when forced', async () => {
    templateStamped('good');
    const refused = await rollbackRefusal(books(), deployment(record(), 'unsigned'), {
      force: true,
    });
    expect(refused).toMatch(/record is untrusted \(unsigned\)/);
  });

  it('never restores a deployment with no record at all', async () => {
    expect(await rollbackRefusal(books(), deployment(null))).toMatch(/has no record/);
  });

  it.each(['failed', 'rolled-back', 'interrupted', 'could-not-judge', 'superseded'] as const)(
    'refuses a deployment recorded as %s unless forced',
    async (verdict) => {
      templateStamped('good');
      const to = deployment(record({ verdict }));
      expect(await rollbackRefusal(books(), to)).toMatch(`recorded as ${verdict}; pass --force`);
      expect(await rollbackRefusal(books(), to, { force: true })).toBeUndefined();
    },
  );

  it('returns to a deployment recorded as restored (it passed again after a rollback)', async () => {
    templateStamped('good');
    expect(
      await rollbackRefusal(books(), deployment(record({ verdict: 'restored' }))),
    ).toBeUndefined();
  });

  it('refuses artifacts replaced or written again since they were verified', async () => {
    templateStamped('good');
    const replaced = books({ 'health.zip': { sha256: 'b'.repeat(64), versionId: 'v2' } });
    const rewritten = books({ 'health.zip': { sha256: HASH, versionId: 'v2' } });
    expect(await rollbackRefusal(replaced, deployment(record()))).toMatch(/was replaced/);
    expect(await rollbackRefusal(rewritten, deployment(record()))).toMatch(/written again/);
  });

  it('refuses a template stamped with another commit than its record names', async () => {
    templateStamped('planted');
    expect(await rollbackRefusal(books(), deployment(record()))).toMatch(
      /stamped with commit planted, its record with good/,
    );
  });

  it('refuses a record with no artifact hashes', async () => {
    expect(await rollbackRefusal(books(), deployment(record({ artifacts: {} })))).toMatch(
      /no recorded artifact hashes/,
    );
  });
});

describe('versionRefusal (the traffic mode: live moves to a version, not the stack)', () => {
  const lambda = mockClient(LambdaClient);
  afterEach(() => lambda.reset());
  const SHA = `${'Q'.repeat(43)}=`;
  const refusal = (to: Deployment, force = false) =>
    versionRefusal(new LambdaClient({ region: 'us-east-1' }), 'svc-dev-health', to, {
      force,
      deadline: createDeadline(Date.now() + 10_000),
    });

  it('lets live return to a version that still runs the code its record names', async () => {
    // Prepare
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: SHA });
    // Act
    const refused = await refusal(
      deployment(record({ functionVersion: { number: '4', codeSha256: SHA } })),
    );
    // Assess
    expect(refused).toBeUndefined();
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]?.args[0].input).toStrictEqual({
      FunctionName: 'svc-dev-health',
      Qualifier: '4',
    });
  });

  it('refuses a version that runs other code than its record names', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: `${'R'.repeat(43)}=` });
    expect(
      await refusal(deployment(record({ functionVersion: { number: '4', codeSha256: SHA } }))),
    ).toBe(
      `refused: version 4 of svc-dev-health runs code ${'R'.repeat(43)}=, not the ${SHA} its record vouches for.`,
    );
  });

  it('refuses a version that no longer exists', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));
    expect(
      await refusal(deployment(record({ functionVersion: { number: '4', codeSha256: SHA } }))),
    ).toBe('refused: version 4 of svc-dev-health no longer exists.');
  });

  it('refuses a deployment whose record names no version (deployed all at once)', async () => {
    expect(await refusal(deployment(record()))).toMatch(/record names no function version/);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(0);
  });

  it('holds the record checks first: a failed one needs --force', async () => {
    const failed = deployment(
      record({ verdict: 'failed', functionVersion: { number: '4', codeSha256: SHA } }),
    );
    expect(await refusal(failed)).toMatch(/is recorded as failed; pass --force/);
  });
});

describe('artifactChanges', () => {
  it('is empty when the artifacts are what was verified', () => {
    expect(
      artifactChanges(record().artifacts, { 'health.zip': { sha256: HASH, versionId: 'v1' } }),
    ).toStrictEqual([]);
  });

  it('names an artifact written again with the same bytes (another object version)', () => {
    expect(
      artifactChanges(record().artifacts, { 'health.zip': { sha256: HASH, versionId: 'v2' } }),
    ).toStrictEqual(['health.zip was written again (object version differs)']);
  });

  it('names a replaced, a missing and an added artifact', () => {
    // Act
    const changes = artifactChanges(
      {
        'health.zip': { sha256: HASH, versionId: null },
        't.json': { sha256: HASH, versionId: null },
      },
      {
        'health.zip': { sha256: sha256(new Uint8Array([1])), versionId: null },
        'evil.zip': { sha256: HASH, versionId: null },
      },
    );
    // Assess
    expect(changes).toStrictEqual([
      'health.zip was replaced (sha256 differs)',
      't.json is gone',
      'evil.zip was added',
    ]);
  });
});
