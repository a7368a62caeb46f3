// Another team adopts the gate with one command: examples/plain-js-service with nothing under
// custom.smokeTest but its contract, the gate installed from its packed tarball, `smoke-gate init
// --run` against moto_server (STS finds the account; KMS makes the records key and its alias; the
// pin lands in serverless.yml), then one gated deploy to moto whose record that key signed.
// Not proven here: that the written policies work in AWS. moto evaluates no IAM policy, no key
// policy and no bucket policy, so they are held by reading them (the same action sets as this
// repository's policies, which tests/unit/gate-permissions.test.ts holds to every call the
// package makes); the route is the route stand-in (moto creates no HTTP API).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { deployRoleEnv } from '../../harness/aws/deploy-role.ts';
import {
  MOTO_ACCOUNT,
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import { exampleCopy, installGate } from '../../harness/project/example-copies.ts';
import { SERVERLESS_BIN } from '../../harness/project/packaged.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { type RouteStandIn, startRouteStandIn } from '../../harness/route/route-stand-in.ts';
import { runNodeScript } from '../helpers/cli.ts';

const hasMoto = motoForSuite('the adoption suite');
const SERVICE = 'plain-js-ping';
const STAGE = 'adopt';
const TIMEOUT = 120_000;

/** The example's custom.smokeTest without its monitoring: its contract alone. */
const CONTRACT_ONLY = {
  file: 'serverless.yml',
  from: '    monitoring:\n      schedule: rate(10 minutes)\n      routeLine:\n        key: via\n        values: [http]\n',
  to: '',
};

let moto: Moto;
let route: RouteStandIn;
let dir: string;
let copy: string;

/** The installed gate's CLI in the copy, against moto, as the key's administrator. */
const gateCli = (args: string[], env: Record<string, string> = {}) =>
  runNodeScript(
    join(copy, 'node_modules/@petsage/smoke-gate/bin/petsage-smoke.js'),
    args,
    { ...MOTO_CREDENTIALS_ENV, AWS_ENDPOINT_URL: moto.endpoint, ...env },
    { cwd: copy },
  );

/** The actions the Allow statements of a policy grant. */
const allowed = (text: string): string[] =>
  (
    JSON.parse(text) as { Statement: { Effect: string; Action: string | string[] }[] }
  ).Statement.filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => [statement.Action].flat())
    .sort();

describe.skipIf(!hasMoto).sequential('adopting the gate with smoke-gate init', () => {
  beforeAll(async () => {
    moto = await startMoto();
    route = await startRouteStandIn({ stackName: `${SERVICE}-${STAGE}`, aws: moto.settings() });
    dir = await mkdtemp(join(tmpdir(), 'adopt-'));
    copy = await exampleCopy(dir, 'service', [CONTRACT_ONLY]);
    await installGate(copy, inject('packedGate').tarball);
  }, TIMEOUT);
  afterAll(async () => {
    await route?.stop();
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes the policies with the service's own names, makes the records key and pins it", {
    timeout: TIMEOUT,
  }, async () => {
    // Act
    const run = await gateCli([
      'init',
      '--run',
      '--region',
      'us-east-1',
      '--repository',
      'acme/ping',
    ]);
    // Assess
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /created alias\/plain-js-ping-smoke-records -> arn:aws:kms:us-east-1:123456789012:key\//,
    );
    const pin = parse(await readFile(join(copy, 'serverless.yml'), 'utf8')).custom.smokeTest
      .recordsKey;
    expect(pin.arn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/);
    expect(pin.publicKeySha256).toMatch(/^[0-9a-f]{64}$/);
    const files = await readdir(join(copy, '.github/iam'));
    expect(files).toHaveLength(10);
    for (const file of files) {
      const text = await readFile(join(copy, '.github/iam', file), 'utf8');
      expect(text, file).not.toMatch(/petsage|eu-west-1|<[a-z-]+>|OWNER\/REPO/i);
    }
    const deploy = await readFile(join(copy, '.github/iam/deploy-policy.json'), 'utf8');
    expect(deploy).toContain(`:key/${pin.arn.split('/').at(-1)}`);
    expect(deploy).toContain(
      `arn:aws:lambda:us-east-1:\${aws:PrincipalAccount}:function:${SERVICE}-*`,
    );
    const keyPolicy = await readFile(join(copy, '.github/iam/records-key-policy.json'), 'utf8');
    expect(keyPolicy).toContain(`arn:aws:iam::${MOTO_ACCOUNT}:role/${SERVICE}-deploy`);
  });

  it("grants what this repository's policies grant, which the permission tests hold to every call", async () => {
    for (const file of ['deploy-policy.json', 'verify-policy.json', 'member-verify-policy.json']) {
      // Act
      const written = allowed(await readFile(join(copy, '.github/iam', file), 'utf8'));
      const ours = allowed(await readFile(join(PROJECT_DIR, '.github/iam', file), 'utf8'));
      // Assess
      expect(written, file).toStrictEqual(ours);
    }
  });

  it('deploys through the gate, its record signed by the key init made', {
    timeout: TIMEOUT,
  }, async () => {
    // Prepare
    const asDeployRole = await deployRoleEnv(moto, `${SERVICE}-deploy`);
    const pin = parse(await readFile(join(copy, 'serverless.yml'), 'utf8')).custom.smokeTest
      .recordsKey;
    // Act
    const run = await runNodeScript(
      SERVERLESS_BIN,
      ['deploy', '--stage', STAGE, '--param', `standInUrl=${route.baseUrl}`],
      {
        ...MOTO_CREDENTIALS_ENV,
        ...asDeployRole,
        AWS_ENDPOINT_URL: moto.endpoint,
        SLS_AWS_MONITORING_FREQUENCY: '200',
        RELEASE_ID: 'adopt-1',
        NO_COLOR: '1',
      },
      { cwd: copy },
    );
    // Assess
    const output = run.stdout + run.stderr;
    expect(run.code, output).toBe(0);
    expect(output).toMatch(/PASS {2}log line/);
    expect(output).toMatch(/Smoke test: no heartbeat between deploys/);
    const s3 = new S3Client({ ...moto.settings(), forcePathStyle: true });
    const bucket = await bucketOf(s3);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const key = listed.Contents?.map((o) => o.Key ?? '').find((k) => k.includes('/smoke-records/'));
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const record = JSON.parse((await object.Body?.transformToString()) ?? '{}');
    expect(record).toMatchObject({ verdict: 'verified', signature: { keyArn: pin.arn } });
  });
});

/** The stage's deployment bucket: the only bucket moto holds for it. */
async function bucketOf(s3: S3Client): Promise<string> {
  const listed = await s3.send(new ListBucketsCommand({}));
  const bucket = listed.Buckets?.map((b) => b.Name ?? '').find((name) =>
    name.startsWith(`${SERVICE}-${STAGE}`),
  );
  if (bucket === undefined) throw new Error('no deployment bucket in moto');
  return bucket;
}
