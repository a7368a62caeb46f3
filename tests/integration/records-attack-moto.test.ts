// What the gate restores, only the pipeline can have written: attacks by someone who can write to
// the deployment bucket and nothing else, against the real deploy path.
// Stand-ins, named: moto_server (harness/aws/moto.ts) as CloudFormation, S3 (versioned), KMS
// (the records key, created as docs/signed-records.md says: harness/aws/records-key.ts) and
// CloudWatch Logs; the route stand-in (harness/route/route-stand-in.ts) serves the zip the stack
// points at. Not proven here: the key policy and the bucket policy (moto evaluates neither; they
// are held by tests/unit/records-key-policy.test.ts and deploy-policy.test.ts), IAM.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateKeyCommand, KMSClient, SignCommand, UpdateAliasCommand } from '@aws-sdk/client-kms';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployRoleEnv } from '../../harness/aws/deploy-role.ts';
import {
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import { createRecordsKey } from '../../harness/aws/records-key.ts';
import { SERVERLESS_BIN } from '../../harness/project/packaged.ts';
import { copyProject } from '../../harness/project/project-copy.ts';
import {
  ALL_AT_ONCE,
  BREAK_PAYLOAD,
  POINT_AT_STAND_IN,
  pinRecordsKey,
} from '../../harness/project/service-copies.ts';
import { type RouteStandIn, startRouteStandIn } from '../../harness/route/route-stand-in.ts';
import {
  type DeploymentRecord,
  sha256,
} from '../../packages/smoke-gate/src/deployments/deployment-record.ts';
import { signedPayload } from '../../packages/smoke-gate/src/deployments/record-signature.ts';
import type { RecordsKeyPin } from '../../packages/smoke-gate/src/deployments/records-key-pin.ts';
import { runNodeScript } from '../helpers/cli.ts';
import { gateJsonRun, historyOf, liveDirectoryOf } from '../helpers/moto-gate.ts';

const hasMoto = motoForSuite('the signed-records suite');

const STAGE = 'records';
const STACK = `petsage-smoke-test-${STAGE}`;
const PREFIX = `serverless/petsage-smoke-test/${STAGE}/`;
const TIMEOUT = 90_000;

let moto: Moto;
let route: RouteStandIn;
let dir: string;
let good: string;
let broken: string;
/** The records key made for this run, pinned in serverless.yml. */
let pin: RecordsKeyPin;
/** The deploy role's credentials in moto (the bucket guard lets no one else deploy). */
let asDeployRole: Awaited<ReturnType<typeof deployRoleEnv>>;

const serverless = (cwd: string, args: string[], release = 'good') =>
  runNodeScript(
    SERVERLESS_BIN,
    [...args, '--stage', STAGE, '--param', `standInUrl=${route.baseUrl}`],
    {
      ...MOTO_CREDENTIALS_ENV,
      ...asDeployRole,
      AWS_ENDPOINT_URL: moto.endpoint,
      SLS_AWS_MONITORING_FREQUENCY: '200',
      RELEASE_ID: release,
      NO_COLOR: '1',
    },
    { cwd },
  ).then((run) => ({ ...run, output: run.stdout + run.stderr }));

const history = async () => (await historyOf(moto, STAGE)).report;

const liveDirectory = () => liveDirectoryOf(moto, STACK);

/** The attacker's hands: S3 in the deployment bucket, nothing else. */
const bucket = async () => {
  const outputs = await new CloudFormationClient(moto.settings()).send(
    new DescribeStacksCommand({ StackName: STACK }),
  );
  const name =
    outputs.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'ServerlessDeploymentBucketName')
      ?.OutputValue ?? '';
  const s3 = new S3Client({ ...moto.settings(), forcePathStyle: true });
  const read = async (key: string) =>
    (await (
      await s3.send(new GetObjectCommand({ Bucket: name, Key: key }))
    ).Body?.transformToString()) ?? '';
  const write = (key: string, body: string) =>
    s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: body }));
  const keys = async (prefix: string) =>
    (
      (await s3.send(new ListObjectsV2Command({ Bucket: name, Prefix: prefix }))).Contents ?? []
    ).map((o) => o.Key ?? '');
  return { s3, name, read, write, keys };
};

/**
 * Plants a deployment folder, named as a newer deployment: a copy of `from` whose template holds
 * one extra resource and names commit `planted`, and a `verified` record with matching hashes.
 */
async function plant(from: string): Promise<string> {
  const b = await bucket();
  const now = new Date();
  const folder = `${now.getTime()}-${now.toISOString()}`;
  const artifacts: Record<string, { sha256: string; versionId: null }> = {};
  for (const key of await b.keys(`${PREFIX}${from}/`)) {
    const name = key.slice(`${PREFIX}${from}/`.length);
    let body = await b.read(key);
    if (name === 'compiled-cloudformation-template.json') {
      const template = JSON.parse(body);
      template.Resources.PlantedTopic = { Type: 'AWS::SNS::Topic', Properties: {} };
      body = JSON.stringify(template).replaceAll('"good"', '"planted"');
    }
    await b.write(`${PREFIX}${folder}/${name}`, body);
    artifacts[name] = { sha256: sha256(Buffer.from(body)), versionId: null };
  }
  const record = {
    schema: 1,
    deployment: folder,
    verdict: 'verified',
    at: now.toISOString(),
    commit: 'planted',
    version: null,
    ci: null,
    artifacts,
    correlationId: null,
    rolledBackTo: null,
    note: null,
  };
  await b.write(`${PREFIX}smoke-records/${folder}.json`, JSON.stringify(record));
  return folder;
}

describe
  .skipIf(!hasMoto)
  .sequential('signed records against someone with bucket write only', () => {
    let goodDir = '';
    let brokenDir = '';
    let planted = '';

    beforeAll(async () => {
      moto = await startMoto();
      pin = await createRecordsKey(moto.settings());
      asDeployRole = await deployRoleEnv(moto, 'petsage-smoke-test-deploy');
      route = await startRouteStandIn({ stackName: STACK, aws: moto.settings() });
      dir = await mkdtemp(join(tmpdir(), 'petsage-records-'));
      good = await copyProject(join(dir, 'good'), [
        POINT_AT_STAND_IN,
        ALL_AT_ONCE,
        pinRecordsKey(pin),
      ]);
      broken = await copyProject(join(dir, 'broken'), [
        POINT_AT_STAND_IN,
        ALL_AT_ONCE,
        pinRecordsKey(pin),
        BREAK_PAYLOAD,
      ]);
      const first = await serverless(good, ['deploy'], 'good');
      expect(first.code, first.output).toBe(0);
      goodDir = await liveDirectory();
      const failing = await serverless(broken, ['deploy'], 'broken');
      expect(failing.code, failing.output).toBe(1);
      brokenDir = (await history()).deployments.find((d) => d.commit === 'broken')?.directory ?? '';
    }, 4 * TIMEOUT);

    afterAll(async () => {
      await route?.stop();
      await moto?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('signs what the gate records, and history calls them by their verdicts', async () => {
      const { deployments } = await history();
      expect(deployments.find((d) => d.directory === goodDir)).toMatchObject({
        verdict: 'restored',
        live: true,
      });
      expect(deployments.find((d) => d.directory === brokenDir)).toMatchObject({
        verdict: 'rolled-back',
      });
      const record = JSON.parse(
        await (await bucket()).read(`${PREFIX}smoke-records/${goodDir}.json`),
      );
      expect(record.signature).toMatchObject({ algorithm: 'ECDSA_SHA_256' });
      expect(record.scope).toStrictEqual({
        service: 'petsage-smoke-test',
        stage: STAGE,
        account: '123456789012',
        region: 'us-east-1',
      });
    });

    it('never calls a planted folder with a matching verified record verified, nor restores it by commit', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare
      planted = await plant(goodDir);
      // Act
      const listed = await history();
      const byCommit = await serverless(good, ['rollback', '--commit', 'planted']);
      // Assess
      expect(listed.deployments.find((d) => d.directory === planted)).toMatchObject({
        verdict: 'untrusted',
        rollbackTarget: false,
      });
      expect(listed.ignored).toContain(`record of ${planted} untrusted: unsigned`);
      expect(byCommit.code, byCommit.output).toBe(2);
      expect(byCommit.output).toMatch(/record is untrusted \(unsigned\).*Nothing was changed/);
      expect(await liveDirectory()).toBe(goodDir);
    });

    it('rolls a failing deploy back to the genuine verified deployment, never to the planted one', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const run = await serverless(broken, ['deploy'], 'second-broken');
      // Assess
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(
        new RegExp(`Rolled back to the last verified deployment ${goodDir}`),
      );
      expect(await liveDirectory()).toBe(goodDir);
    });

    it('never trusts a rejected deployment relabelled verified, nor restores it by commit', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare: the rolled-back record, its verdict rewritten, its signature kept.
      const b = await bucket();
      const key = `${PREFIX}smoke-records/${brokenDir}.json`;
      const record = JSON.parse(await b.read(key));
      await b.write(key, JSON.stringify({ ...record, verdict: 'verified' }));
      // Act
      const listed = await history();
      const byCommit = await serverless(good, ['rollback', '--commit', 'broken']);
      // Assess: the older version the records key signed (rolled-back) stands.
      expect(listed.deployments.find((d) => d.directory === brokenDir)?.verdict).toBe(
        'rolled-back',
      );
      expect(byCommit.code, byCommit.output).toBe(2);
      expect(byCommit.output).toMatch(/recorded as rolled-back; pass --force/);
      expect(await liveDirectory()).toBe(goodDir);
    });

    it('refuses rollback --timestamp to a rolled-back deployment whether named by its milliseconds or its ISO date', {
      timeout: 2 * TIMEOUT,
    }, async () => {
      // Prepare: the folder's two names, as the framework reads --timestamp (a date, else a number).
      const [ms = '', ...iso] = brokenDir.split('-');
      // Act
      const byMs = await serverless(good, ['rollback', '--timestamp', ms]);
      const byDate = await serverless(good, ['rollback', '--timestamp', iso.join('-')]);
      // Assess
      for (const run of [byMs, byDate]) {
        expect(run.code, run.output).toBe(2);
        expect(run.output).toMatch(/recorded as rolled-back; pass --force/);
      }
      expect(await liveDirectory()).toBe(goodDir);
    });

    it('keeps the newer verdict when an older signed version of a record is restored', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare: the broken deployment's first record (failed) copied back over its newest.
      const b = await bucket();
      const key = `${PREFIX}smoke-records/${brokenDir}.json`;
      const versions = await b.s3.send(
        new ListObjectVersionsCommand({ Bucket: b.name, Prefix: key }),
      );
      const oldest = versions.Versions?.filter((v) => v.Key === key).at(-1);
      await b.s3.send(
        new CopyObjectCommand({
          Bucket: b.name,
          Key: key,
          CopySource: `${b.name}/${key}?versionId=${oldest?.VersionId}`,
        }),
      );
      // Act
      const current = JSON.parse(await b.read(key));
      const listed = await history();
      // Assess
      expect(current.verdict).toBe('failed');
      expect(listed.deployments.find((d) => d.directory === brokenDir)?.verdict).toBe(
        'rolled-back',
      );
    });

    it('refuses rollback --commit to a deployment recorded as failed without --force, and records --force', {
      timeout: 2 * TIMEOUT,
    }, async () => {
      // Act
      const refused = await serverless(good, ['rollback', '--commit', 'broken']);
      const forced = await serverless(good, ['rollback', '--commit', 'broken', '--force']);
      const record = JSON.parse(
        await (await bucket()).read(`${PREFIX}smoke-records/${brokenDir}.json`),
      );
      const back = await serverless(good, ['rollback', '--timestamp', goodDir.split('-')[0] ?? '']);
      // Assess
      expect(refused.code, refused.output).toBe(2);
      expect(forced.output).toMatch(/Rolling back to \S+ \(forced\)/);
      expect(forced.code, forced.output).toBe(1);
      expect(record).toMatchObject({
        verdict: 'failed',
        note: 'forced (--force) past its recorded verdict',
      });
      expect(back.code, back.output).toBe(0);
      expect(await liveDirectory()).toBe(goodDir);
    });

    it('never trusts a signed record whose note was edited (the forced flag dropped): the genuine one stands', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare: the forced record of the broken deployment, its note removed, written back.
      const b = await bucket();
      const key = `${PREFIX}smoke-records/${brokenDir}.json`;
      const forced = JSON.parse(await b.read(key));
      await b.write(key, JSON.stringify({ ...forced, note: null }));
      // Act
      const listed = await history();
      // Assess
      expect(forced.note).toBe('forced (--force) past its recorded verdict');
      expect(listed.deployments.find((d) => d.directory === brokenDir)?.verdict).toBe('failed');
      expect(listed.ignored).toContainEqual(
        expect.stringMatching(
          new RegExp(`^record of ${brokenDir}: its current version is untrusted \\(wrongly signed`),
        ),
      );
    });

    it('trusts only the pinned key after the alias is re-pointed: genuine records stay trusted, the other key’s never are, and a deploy does not sign with it', {
      timeout: 2 * TIMEOUT,
    }, async () => {
      // Prepare: another key, the service's alias re-pointed at it, and a verified record for the
      // broken deployment that key signed.
      const kms = new KMSClient(moto.settings());
      const other = await kms.send(
        new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      );
      const otherArn = other.KeyMetadata?.Arn ?? '';
      await kms.send(
        new UpdateAliasCommand({
          AliasName: 'alias/petsage-smoke-test-smoke-records',
          TargetKeyId: other.KeyMetadata?.KeyId,
        }),
      );
      const b = await bucket();
      const key = `${PREFIX}smoke-records/${brokenDir}.json`;
      const claimed: DeploymentRecord = { ...JSON.parse(await b.read(key)), verdict: 'verified' };
      const scope = {
        service: 'petsage-smoke-test',
        stage: STAGE,
        account: '123456789012',
        region: 'us-east-1',
      };
      const signed = await kms.send(
        new SignCommand({
          KeyId: otherArn,
          Message: signedPayload(claimed, scope),
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      await b.write(
        key,
        JSON.stringify({
          ...claimed,
          scope,
          signature: {
            keyArn: otherArn,
            algorithm: 'ECDSA_SHA_256',
            value: Buffer.from(signed.Signature ?? new Uint8Array()).toString('base64'),
            payload: 2,
          },
        }),
      );
      kms.destroy();
      // Act
      const listed = await history();
      const deployed = await serverless(good, ['deploy'], 'good');
      const newest = JSON.parse(
        await b.read(`${PREFIX}smoke-records/${await liveDirectory()}.json`),
      );
      // Assess
      expect(listed.deployments.find((d) => d.directory === goodDir)?.verdict).toMatch(
        /^(verified|restored)$/,
      );
      expect(listed.deployments.find((d) => d.directory === brokenDir)?.verdict).not.toBe(
        'verified',
      );
      expect(listed.ignored).toContainEqual(
        expect.stringContaining(
          `record of ${brokenDir}: its current version is untrusted (signed by another key)`,
        ),
      );
      expect(deployed.code, deployed.output).toBe(0);
      expect(newest.signature.keyArn).toBe(pin.arn);
    });

    it('never restores a deployment whose signed record was re-put past the bound of versions read', {
      timeout: 2 * TIMEOUT,
    }, async () => {
      // Prepare: the good deployment's signed verified record put again, 51 times.
      const b = await bucket();
      const key = `${PREFIX}smoke-records/${goodDir}.json`;
      const signed = await b.read(key);
      for (let copy = 0; copy < 51; copy += 1) await b.write(key, signed);
      await serverless(broken, ['rollback', '--commit', 'broken', '--force']);
      // Act
      const listed = await history();
      const back = await serverless(good, ['rollback', '--timestamp', goodDir.split('-')[0] ?? '']);
      // Assess
      expect(listed.deployments.find((d) => d.directory === goodDir)).toMatchObject({
        verdict: 'untrusted',
        untrusted: { why: expect.stringMatching(/^it has more than 50 stored versions/) },
      });
      expect(back.code, back.output).toBe(2);
      expect(await liveDirectory()).not.toBe(goodDir);
    });

    it('calls the stage untrusted (rewound) after one DeleteObjectVersion of its newest record, and restores nothing', {
      timeout: 2 * TIMEOUT,
    }, async () => {
      // Prepare: the anchor names the newest record; its newest version is deleted.
      const ssm = new SSMClient(moto.settings());
      const parameter = await ssm.send(
        new GetParameterCommand({ Name: `/petsage-smoke-test/smoke-gate/${STAGE}/anchor` }),
      );
      ssm.destroy();
      const anchored = JSON.parse(parameter.Parameter?.Value ?? '{}');
      const b = await bucket();
      const key = `${PREFIX}smoke-records/${anchored.deployment}.json`;
      const versions = await b.s3.send(
        new ListObjectVersionsCommand({ Bucket: b.name, Prefix: key }),
      );
      const newest = versions.Versions?.find((v) => v.Key === key && v.IsLatest);
      await b.s3.send(
        new DeleteObjectCommand({ Bucket: b.name, Key: key, VersionId: newest?.VersionId }),
      );
      // Act
      const listed = await historyOf(moto, STAGE);
      const status = await gateJsonRun(moto, 'status', STAGE);
      const back = await serverless(good, ['rollback', '--timestamp', goodDir.split('-')[0] ?? '']);
      // Assess
      expect(anchored.sequence).toBeGreaterThan(1);
      expect(status.code, status.stderr).toBe(2);
      expect(JSON.parse(status.stdout).live.rewound).toBe(listed.report.rewound);
      expect(listed.run.code).toBe(2);
      expect(listed.report.rewound).toMatch(
        new RegExp(
          `^its newest record \\(#${anchored.sequence}, deployment ${anchored.deployment}, per the stage's anchor\\) is no longer in the bucket`,
        ),
      );
      expect(listed.report.deployments.every((d) => d.verdict === 'untrusted')).toBe(true);
      expect(back.code, back.output).toBe(2);
      expect(back.output).toMatch(/the stage was rewound/);
    });

    it('refuses, exit 2 naming both, a pin whose fingerprint is not the key’s: nothing trusted or written', {
      timeout: 2 * TIMEOUT,
    }, async () => {
      // Prepare: a copy pinning the genuine ARN with another fingerprint.
      const wrong = { ...pin, publicKeySha256: 'f'.repeat(64) };
      const mispinned = await copyProject(join(dir, 'mispinned'), [
        POINT_AT_STAND_IN,
        ALL_AT_ONCE,
        pinRecordsKey(wrong),
      ]);
      const recordKeys = async () => (await bucket()).keys(`${PREFIX}smoke-records/`);
      const before = await recordKeys();
      // Act
      const deployed = await serverless(mispinned, ['deploy'], 'mispinned');
      const listed = await historyOf(moto, STAGE);
      // Assess
      const both = `${pin.arn} has public key sha256 ${pin.publicKeySha256}; the pin is ${pin.arn} with ${'f'.repeat(64)}`;
      expect(deployed.code, deployed.output).toBe(2);
      expect(deployed.output).toContain(both);
      expect(listed.run.code).toBe(2);
      expect(listed.run.stderr).toContain(both);
      expect(await recordKeys()).toStrictEqual(before);
    });
  });
