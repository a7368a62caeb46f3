// The real deploy path: the project's own framework CLI (osls) runs `deploy` (with the
// post-deploy verification on), `info`, `smoke`, an unchanged and a changed redeploy, and
// `remove` against a fresh moto server, and the test checks the stack in moto after each step.
// Stand-ins, each named:
// - moto_server through harness/moto_server_shim.py: CloudFormation, S3 (the deployment bucket),
//   Lambda, IAM, EventBridge and CloudWatch Logs. The shim makes moto's ValidateTemplate reject
//   on cfn-lint errors only (as AWS, which does not run cfn-lint) and rebuild outputs after a
//   change set (as AWS). moto does not create the HTTP API, metric filters or alarms.
// - tests/helpers/route-stand-in.ts: the route. It serves the zip the stack points at (read from
//   moto: template, deployment bucket) under the runtime harness, and plays Lambda's log agent,
//   copying the function's lines into the log group the deploy created. The stack's URL output
//   points at it through the `endpointUrlOverride` param, which exists only for this test.
// - Deploys run from copies of the service (tests/helpers/project-copy.ts), so no deploy touches
//   the build folders serverless-offline serves from in other suites.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS_ENV, type Moto, motoAvailable, startMoto } from '../../harness/moto.ts';
import { SERVERLESS_BIN } from '../../harness/packaged.ts';
import { runNodeScript } from '../helpers/cli.ts';
import { copyProject } from '../helpers/project-copy.ts';
import { type RouteStandIn, startRouteStandIn } from '../helpers/route-stand-in.ts';

const hasMoto = motoAvailable();
if (!hasMoto) {
  const message =
    'moto_server not found: skipping the deploy-path suite (pip install "moto[server]")';
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it`);
  console.warn(`\n*** ${message} ***\n`);
}

const STAGE = 'deploytest';
const STACK = `petsage-smoke-test-${STAGE}`;
const DEPLOY_TIMEOUT = 90_000;

let moto: Moto;
let route: RouteStandIn;
let dir: string;
let v1: string;

const aws = () => ({
  region: 'us-east-1',
  endpoint: moto.endpoint,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

/** Runs the framework CLI in a service copy, against moto. */
const serverless = (cwd: string, args: string[], release = 'v1') =>
  runNodeScript(
    SERVERLESS_BIN.replace(/^.*node_modules/, 'node_modules'),
    [...args, '--stage', STAGE],
    {
      ...MOTO_CREDENTIALS_ENV,
      AWS_ENDPOINT_URL: moto.endpoint,
      // osls's documented stack polling interval (default 5 s).
      SLS_AWS_MONITORING_FREQUENCY: '200',
      RELEASE_ID: release,
    },
    { cwd },
  ).then((run) => ({ ...run, output: run.stdout + run.stderr }));

const deploy = (cwd: string, extra: string[] = [], release = 'v1') =>
  serverless(
    cwd,
    ['deploy', '--param', `endpointUrlOverride=${route.baseUrl}${pathOf(extra)}`, ...extra],
    release,
  );

const pathOf = (args: string[]) =>
  args.find((arg) => arg.startsWith('healthPath='))?.slice('healthPath='.length) ?? '/health';

const stack = async () =>
  (await new CloudFormationClient(aws()).send(new DescribeStacksCommand({ StackName: STACK })))
    .Stacks?.[0];
const outputs = async () =>
  Object.fromEntries((await stack())?.Outputs?.map((o) => [o.OutputKey, o.OutputValue]) ?? []);
const resourceTypes = async () =>
  (
    await new CloudFormationClient(aws()).send(new ListStackResourcesCommand({ StackName: STACK }))
  ).StackResourceSummaries?.map((r) => r.ResourceType) ?? [];

describe.skipIf(!hasMoto)('the real deploy path against moto', () => {
  beforeAll(async () => {
    moto = await startMoto();
    route = await startRouteStandIn({ stackName: STACK, aws: aws() });
    dir = await mkdtemp(join(tmpdir(), 'petsage-deploy-'));
    v1 = await copyProject(join(dir, 'v1'));
  });
  afterAll(async () => {
    await route?.stop();
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('deploys, then verifies the live route and its log line', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Act
    const run = await deploy(v1);
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/PASS {2}route {5}HTTP 200/);
    expect(run.output).toMatch(/PASS {2}log line {2}line found in \d{4}\/\d\d\/\d\d\/\[\$LATEST\]/);
    expect((await stack())?.StackStatus).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
    expect(await resourceTypes()).toEqual(
      expect.arrayContaining([
        'AWS::S3::Bucket',
        'AWS::Logs::LogGroup',
        'AWS::IAM::Role',
        'AWS::Lambda::Function',
        'AWS::Events::Rule',
      ]),
    );
    expect(await outputs()).toMatchObject({
      HealthEndpointUrl: `${route.baseUrl}/health`,
      HealthLogGroupName: `/aws/lambda/${STACK}-health`,
    });
    expect(route.served()?.routes.sort()).toStrictEqual(['GET /health', 'HEAD /health']);
  });

  it('answers serverless info with the deployed stack', { timeout: DEPLOY_TIMEOUT }, async () => {
    // Act
    const run = await serverless(v1, ['info']);
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`stack: ${STACK}`);
    expect(run.output).toContain(`health: ${STACK}-health`);
  });

  it('verifies the stage again with serverless smoke --json', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Act
    const run = await serverless(v1, ['smoke', '--json']);
    // Assess
    expect(run.code, run.output).toBe(0);
    const report = JSON.parse(run.stdout.split('\n').find((line) => line.startsWith('{')) ?? '');
    expect(report).toMatchObject({ verdict: 'verified', url: `${route.baseUrl}/health` });
  });

  it('still verifies after an unchanged redeploy ("No changes to deploy")', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare
    const before = route.served()?.codeKey;
    // Act
    const run = await deploy(v1);
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/No changes to deploy/);
    expect(run.output).toMatch(/PASS: verified/);
    expect(route.served()?.codeKey).toBe(before);
  });

  it('updates the stack and its outputs on a changed redeploy, and verifies the new route', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Act
    const run = await deploy(v1, ['--param', 'healthPath=/v2/health']);
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/PASS: verified/);
    expect((await outputs()).HealthEndpointUrl).toBe(`${route.baseUrl}/v2/health`);
    expect(route.served()?.routes.sort()).toStrictEqual(['GET /v2/health', 'HEAD /v2/health']);
  });

  it('skips the verification for one deploy with --skip-smoke, listed in deploy --help', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Act
    const help = await serverless(v1, ['deploy', '--help']);
    const run = await deploy(v1, ['--param', 'healthPath=/v2/health', '--skip-smoke']);
    // Assess
    expect(help.output).toMatch(/--skip-smoke\s+Deploy without the post-deploy smoke test/);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Smoke test skipped (--skip-smoke)');
    expect(run.output).not.toMatch(/PASS: verified/);
  });

  it('fails the deploy with the report when the log line never arrives', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: the route works, but nothing reaches CloudWatch Logs.
    route.dropLines(true);
    // Act
    const run = await serverless(v1, ['smoke', '--timeout', '3']);
    route.dropLines(false);
    // Assess
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/FAIL {2}log line/);
    expect(run.output).toMatch(/Smoke test failed/);
  });

  it('cannot judge (exit 2) when the log group is gone', { timeout: DEPLOY_TIMEOUT }, async () => {
    // Prepare
    const logs = new CloudWatchLogsClient(aws());
    const logGroupName = `/aws/lambda/${STACK}-health`;
    await logs.send(new DeleteLogGroupCommand({ logGroupName }));
    // Act
    const run = await serverless(v1, ['smoke', '--timeout', '10']);
    // Put it back: moto (unlike CloudFormation) fails to delete a stack whose log group is gone.
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    // Assess
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/Smoke test could not run: .*not found/);
  });

  it('removes the stack', { timeout: DEPLOY_TIMEOUT }, async () => {
    // Act
    const run = await serverless(v1, ['remove']);
    // Assess
    expect(run.code, run.output).toBe(0);
    await expect(stack()).rejects.toThrow(/does not exist/);
  });
});
