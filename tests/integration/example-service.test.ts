import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import {
  GetBucketVersioningCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deployRoleEnv } from '../../harness/aws/deploy-role.ts';
import {
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import { createRecordsKey } from '../../harness/aws/records-key.ts';
import {
  BREAK_PONG,
  breakGateInstall,
  copyGateFrom,
  exampleCopy,
  installGate,
  TRAFFIC_AT_STAND_IN,
} from '../../harness/project/example-copies.ts';
import { SERVERLESS_BIN } from '../../harness/project/packaged.ts';
import { pinRecordsKey } from '../../harness/project/service-copies.ts';
import { type RouteStandIn, startRouteStandIn } from '../../harness/route/route-stand-in.ts';
import type { RecordsKeyPin } from '../../packages/smoke-gate/src/deployments/records-key-pin.ts';
import { runNodeScript } from '../helpers/cli.ts';
import { underLoad, versionRuns } from '../helpers/route-load.ts';

const hasMoto = motoForSuite('the example-service suite');
const STAGE = 'example';
/** A second stage of the example, in the traffic mode from its first deploy (docs/traffic.md). */
const TRAFFIC_STAGE = 'extraffic';
const SERVICE = 'plain-js-ping';
const TIMEOUT = 120_000;

let moto: Moto;
let route: RouteStandIn;
let trafficRoute: RouteStandIn;
let dir: string;
let good: string;
let broken: string;
/** The records key made for this moto run, pinned in every copy. */
let pin: RecordsKeyPin;
/** The deploy role's credentials in moto (the bucket guard lets no one else deploy). */
let asDeployRole: Awaited<ReturnType<typeof deployRoleEnv>>;

/** The environment of a run against moto. */
const env = (release: string) => ({
  ...MOTO_CREDENTIALS_ENV,
  ...asDeployRole,
  AWS_ENDPOINT_URL: moto.endpoint,
  SLS_AWS_MONITORING_FREQUENCY: '200',
  RELEASE_ID: release,
  NO_COLOR: '1',
});

/** This repository's osls (the example's devDependency, the same package), deploying to moto. */
const deploy = (cwd: string, release: string, as: Record<string, string> = asDeployRole) =>
  runNodeScript(
    SERVERLESS_BIN,
    ['deploy', '--stage', STAGE, '--param', `standInUrl=${route.baseUrl}`],
    { ...env(release), ...as },
    { cwd },
  ).then((run) => ({ ...run, output: run.stdout + run.stderr }));

/** A deploy of the traffic-mode stage, while a caller keeps hitting its public route. */
const deployTraffic = (cwd: string, release: string) =>
  underLoad(trafficRoute, '/ping', () =>
    runNodeScript(
      SERVERLESS_BIN,
      ['deploy', '--stage', TRAFFIC_STAGE, '--param', `standInUrl=${trafficRoute.baseUrl}`],
      env(release),
      { cwd },
    ).then((run) => ({ ...run, output: run.stdout + run.stderr })),
  );

/** The stage's deployment bucket (the stack's output) and an S3 client for it, against moto. */
async function deploymentBucket() {
  const stacks = await new CloudFormationClient(moto.settings()).send(
    new DescribeStacksCommand({ StackName: `${SERVICE}-${STAGE}` }),
  );
  const bucket = stacks.Stacks?.[0]?.Outputs?.find(
    (o) => o.OutputKey === 'ServerlessDeploymentBucketName',
  )?.OutputValue;
  return { s3: new S3Client({ ...moto.settings(), forcePathStyle: true }), bucket };
}

/** The installed gate's CLI, run from a folder that holds no service. */
const gate = async (args: string[]) => {
  const elsewhere = await mkdtemp(join(dir, 'elsewhere-'));
  return runNodeScript(
    join(good, 'node_modules/@petsage/smoke-gate/bin/petsage-smoke.js'),
    [...args, '--service', SERVICE, '--stage', STAGE, '--endpoint-url', moto.endpoint],
    env('cli'),
    { cwd: elsewhere },
  );
};

describe
  .skipIf(!hasMoto)
  .sequential('the gate in a second service (examples/plain-js-service)', () => {
    beforeAll(async () => {
      moto = await startMoto();
      // The records key, once per account and region (docs/signed-records.md).
      pin = await createRecordsKey(moto.settings(), 'plain-js-ping');
      asDeployRole = await deployRoleEnv(moto, 'plain-js-ping-deploy');
      route = await startRouteStandIn({
        stackName: `${SERVICE}-${STAGE}`,
        aws: moto.settings(),
      });
      trafficRoute = await startRouteStandIn({
        stackName: `${SERVICE}-${TRAFFIC_STAGE}`,
        aws: moto.settings(),
      });
      dir = await mkdtemp(join(tmpdir(), 'example-service-'));
      const { tarball } = inject('packedGate');
      good = await exampleCopy(dir, 'good', [pinRecordsKey(pin)]);
      await installGate(good, tarball);
      broken = await exampleCopy(dir, 'broken', [pinRecordsKey(pin), BREAK_PONG]);
      await copyGateFrom(broken, good);
    }, TIMEOUT);
    afterAll(async () => {
      await route?.stop();
      await trafficRoute?.stop();
      await moto?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('deploys and passes the gate on its own route, header and Text-format line', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const run = await deploy(good, 'v1');
      // Assess
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(/PASS {2}route {5}HTTP 200/);
      expect(run.output).toMatch(/PASS {2}log line/);
      // A tested framework: no notice that it is not.
      expect(run.output).not.toMatch(/untested/);
      expect(route.served()?.routes).toStrictEqual(['GET /ping']);
    });

    it('keeps versions in its deployment bucket, which the service never asked for: the gate turned them on', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const { s3, bucket } = await deploymentBucket();
      const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
      const listed = JSON.parse((await gate(['history', '--json'])).stdout);
      // Assess
      expect(versioning.Status).toBe('Enabled');
      expect(listed.deployments[0]).toMatchObject({ verdict: 'verified', untrusted: null });
    });

    it('fails a version that breaks one configured value, and rolls back to the verified one', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const run = await deploy(broken, 'v2');
      // Assess
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(/body pong false, expected true/);
      expect(run.output).toMatch(
        /Rolled back to the last verified deployment .*, which PASSES again/,
      );
    });

    it('verifies from a folder that holds no service, with the contract read from the stack', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const run = await gate(['verify', '--json']);
      // Assess
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        verdict: 'verified',
        url: `${route.baseUrl}/ping`,
        log: { found: true },
      });
    });

    it('lists its history from there: the rolled-back version and the one live again', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const run = await gate(['history', '--json']);
      // Assess
      expect(run.code, run.stderr).toBe(0);
      const entries = (
        JSON.parse(run.stdout) as {
          deployments: { commit: string; verdict: string; live: boolean }[];
        }
      ).deployments.map((entry) => [entry.commit, entry.verdict, entry.live]);
      expect(entries).toStrictEqual(
        expect.arrayContaining([
          ['v1', 'restored', true],
          ['v2', 'rolled-back', false],
        ]),
      );
      expect(entries).toHaveLength(2);
    });

    it("runs only the route heartbeat, and status shows it, found in Lambda's Text format by its own line names (exit 0)", {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare: the route heartbeat's call as EventBridge's API destination makes it (moto never
      // fires schedules), with its marker header; the function writes its line in the Text format.
      const beat = await fetch(`${route.baseUrl}/ping`, {
        headers: { 'x-smoke-heartbeat': 'http' },
      });
      expect(beat.status).toBe(200);
      const { TemplateBody } = await new CloudFormationClient(moto.settings()).send(
        new GetTemplateCommand({ StackName: `${SERVICE}-${STAGE}` }),
      );
      // Act
      const run = await gate(['status', '--json']);
      // Assess: its handler takes HTTP events only, so no schedule invokes it directly.
      const rules = Object.entries(JSON.parse(TemplateBody ?? '{}').Resources).filter(
        ([, resource]) => (resource as { Type: string }).Type === 'AWS::Events::Rule',
      );
      expect(rules.map(([id]) => id)).toStrictEqual(['RouteHeartbeatRule']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({
        status: 'healthy',
        heartbeat: { found: true },
        routeHeartbeat: { found: true, trigger: 'http' },
        broken: null,
      });
      expect(report.heartbeat.ageMs).toBeLessThan(TIMEOUT);
    });

    it('calls the live deployment changed outside the pipeline after update-function-code, and status unhealthy', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare: the function's code replaced by hand, as `aws lambda update-function-code` does.
      const lambda = new LambdaClient(moto.settings());
      await lambda.send(
        new UpdateFunctionCodeCommand({
          FunctionName: `${SERVICE}-${STAGE}-ping`,
          ZipFile: new Uint8Array(Buffer.from('code uploaded by hand')),
        }),
      );
      lambda.destroy();
      // Act
      const listed = JSON.parse((await gate(['history', '--json'])).stdout);
      const status = await gate(['status', '--json']);
      // Assess
      const live = listed.deployments.find((d: { live: boolean }) => d.live);
      expect(live.verdict).toBe('untrusted');
      expect(live.untrusted.why).toMatch(
        /^changed outside the pipeline: the function runs code sha256/,
      );
      expect(status.code, status.stderr).toBe(1);
      expect(JSON.parse(status.stdout).live.note).toMatch(/changed outside the pipeline/);
    });

    it('says the stack is deployed, live and not verified when the gate breaks after it (exit 2)', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare: a broken install of the gate.
      const crashing = await exampleCopy(dir, 'crashing', [pinRecordsKey(pin)]);
      await copyGateFrom(crashing, good);
      await breakGateInstall(crashing);
      // Act
      const run = await deploy(crashing, 'v3');
      // Assess
      expect(run.code, run.output).toBe(2);
      expect(run.output).toMatch(/Smoke test could not run after the stack deployed: /);
      expect(run.output).toMatch(
        /Stack plain-js-ping-example IS deployed: its new deployment is live and NOT verified/,
      );
    });

    it('stops a deploy run as a user the bucket guard would lock out, before anything is uploaded', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare: moto's own default caller, a user (as a laptop deploys).
      const user = {
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS_ENV.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS_ENV.AWS_SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN: MOTO_CREDENTIALS_ENV.AWS_SESSION_TOKEN,
      };
      const before = (await gate(['history', '--json'])).stdout;
      // Act
      const run = await deploy(good, 'v4', user);
      const after = (await gate(['history', '--json'])).stdout;
      // Assess
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(
        /this deploy would lock itself out of its own deployment bucket: its caller arn:aws:sts::123456789012:user\/moto is not role plain-js-ping-deploy/,
      );
      expect(JSON.parse(before).deployments.length).toBeGreaterThan(0);
      expect(JSON.parse(after).deployments).toStrictEqual(JSON.parse(before).deployments);
    });

    it('does not trust a record written while the bucket kept no versions, and says why', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare: versioning suspended on the deployment bucket (drift CloudFormation leaves be).
      const { s3, bucket } = await deploymentBucket();
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Suspended' },
        }),
      );
      // Act
      const run = await deploy(good, 'v5');
      const listed = JSON.parse((await gate(['history', '--json'])).stdout);
      // Assess
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(
        /record is written into a deployment bucket that keeps no versions/,
      );
      const newest = listed.deployments.find((d: { commit: string }) => d.commit === 'v5');
      expect(newest).toMatchObject({ verdict: 'untrusted', rollbackTarget: false });
      expect(newest.untrusted.why).toMatch(/^written while the deployment bucket kept no versions/);
    });

    it('in the traffic mode, promotes a version that passed on the candidate stage', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare
      const copy = await exampleCopy(dir, 'traffic-good', [
        TRAFFIC_AT_STAND_IN,
        pinRecordsKey(pin),
      ]);
      await copyGateFrom(copy, good);
      // Act
      const { result: run, served } = await deployTraffic(copy, 't1');
      // Assess
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(/Traffic mode: live moved to version (\d+) in one alias update/);
      expect(versionRuns(served).at(-1)).toMatch(/^\d+$/);
      expect(
        versionRuns(served)
          .slice(0, -1)
          .every((run) => run === '(500)'),
      ).toBe(true);
    });

    it('in the traffic mode, serves every caller the old version while a broken one fails', {
      timeout: TIMEOUT,
    }, async () => {
      // Prepare
      const copy = await exampleCopy(dir, 'traffic-broken', [
        TRAFFIC_AT_STAND_IN,
        pinRecordsKey(pin),
        BREAK_PONG,
      ]);
      await copyGateFrom(copy, good);
      const before = trafficRoute.servedLog().at(-1)?.version;
      // Act
      const { result: run, served } = await deployTraffic(copy, 't2');
      // Assess
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(
        new RegExp(`no caller reached version \\d+: live still serves version ${before}`),
      );
      expect(versionRuns(served)).toStrictEqual([before]);
    });
  });
