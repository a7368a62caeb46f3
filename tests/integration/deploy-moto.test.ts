// The real deploy path: the project's own framework CLI (osls) runs `deploy` (with the
// post-deploy verification on), `info`, `smoke`, an unchanged and a changed redeploy, and
// `remove` against a fresh moto server, and the test checks the stack in moto after each step.
// Stand-ins, each named:
// - moto_server through harness/aws/moto_server_shim.py: CloudFormation, S3 (the deployment bucket),
//   Lambda, IAM, EventBridge and CloudWatch Logs. The shim makes moto's ValidateTemplate reject
//   on cfn-lint errors only (as AWS, which does not run cfn-lint) and rebuild outputs after a
//   change set (as AWS). moto does not create the HTTP API, metric filters or alarms.
// - harness/route/route-stand-in.ts: the route. It serves the zip the stack points at (read from
//   moto: template, deployment bucket) under the runtime harness, and plays Lambda's log agent,
//   copying the function's lines into the log group the deploy created. moto creates no HTTP API,
//   so each service copy's URL output is edited to point at the stand-in (POINT_AT_STAND_IN):
//   the shipped serverless.yml has no test-only parameter.
// - Deploys run from copies of the service (tests/helpers/project-copy.ts), so no deploy touches
//   the build folders serverless-offline serves from in other suites.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
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
import type { RecordsKeyPin } from '../../packages/smoke-gate/src/deployments/records-key-pin.ts';
import { runNodeScript, startNodeScript } from '../helpers/cli.ts';
import { gateJsonRun, historyOf, liveDirectoryOf } from '../helpers/moto-gate.ts';

const hasMoto = motoForSuite('the deploy-path suite');

const STAGE = 'deploytest';
const STACK = `petsage-smoke-test-${STAGE}`;
const FIRST_STAGE = 'firstdeploy';
const FIRST_STACK = `petsage-smoke-test-${FIRST_STAGE}`;
const EVENTS_STAGE = 'events';
const EVENTS_STACK = `petsage-smoke-test-${EVENTS_STAGE}`;
const DEPLOY_TIMEOUT = 90_000;

/** Each stage's route stand-in. */
const routeOf = (stage: string) =>
  stage === STAGE ? route : stage === EVENTS_STAGE ? eventsRoute : firstRoute;

let moto: Moto;
let route: RouteStandIn;
let firstRoute: RouteStandIn;
let eventsRoute: RouteStandIn;
let dir: string;
/** The records key made for this moto run, pinned in every copy. */
let pin: RecordsKeyPin;
/** The deploy role's credentials in moto (the bucket guard lets no one else deploy). */
let asDeployRole: Awaited<ReturnType<typeof deployRoleEnv>>;
let v1: string;
let broken: string;
let brokenNoRollback: string;
/** The code key of the last deployment that passed: what a rollback must serve again. */
let lastGood: string | undefined;

/** The environment of a framework run against moto. */
const deployEnv = (release: string) => ({
  ...MOTO_CREDENTIALS_ENV,
  ...asDeployRole,
  AWS_ENDPOINT_URL: moto.endpoint,
  // osls's documented stack polling interval (default 5 s).
  SLS_AWS_MONITORING_FREQUENCY: '200',
  RELEASE_ID: release,
  NO_COLOR: '1',
  // As in GitHub Actions: every gate appends its table to the job summary.
  GITHUB_STEP_SUMMARY: join(dir, 'job-summary.md'),
  // The system's temporary directory as the framework sees it: nothing may be left there.
  TMPDIR: join(dir, 'system-tmp'),
});

/** The job summary the last framework run appended (its heading, table and note). */
const lastJobSummary = async () =>
  (await readFile(join(dir, 'job-summary.md'), 'utf8')).split('### ').at(-1) ?? '';

/** The stage's deployment bucket, path-style against moto. */
const bucketPlace = async () => ({
  s3: new S3Client({ ...moto.settings(), forcePathStyle: true }),
  bucket: (await outputs()).ServerlessDeploymentBucketName ?? '',
});

/** The gate's records in the bucket: deployment directory -> verdict. */
const recordedVerdicts = async (): Promise<Record<string, string>> => {
  const { s3, bucket } = await bucketPlace();
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const verdicts: Record<string, string> = {};
  for (const key of (listed.Contents ?? []).map((o) => o.Key ?? '')) {
    if (!key.includes('/smoke-records/')) continue;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const record = JSON.parse((await object.Body?.transformToString()) ?? '{}') as {
      deployment: string;
      verdict: string;
    };
    verdicts[record.deployment] = record.verdict;
  }
  return verdicts;
};

/** The deployments recorded as verified (or restored and verified again). */
const verifiedDeployments = async () =>
  Object.entries(await recordedVerdicts())
    .filter(([, verdict]) => verdict === 'verified' || verdict === 'restored')
    .map(([deployment]) => deployment);

/** The deployment directory the stack runs now. */
const liveDirectory = () => liveDirectoryOf(moto, STACK);

/** `petsage-smoke history --json` against moto, for a stage, run from a folder (the project). */
const history = (stage = STAGE, cwd?: string) => historyOf(moto, stage, cwd);

/** Runs the framework CLI in a service copy, against moto. */
const serverless = (cwd: string, args: string[], release = 'v1', stage = STAGE) =>
  runNodeScript(SERVERLESS_BIN, [...args, '--stage', stage], deployEnv(release), { cwd }).then(
    (run) => ({ ...run, output: run.stdout + run.stderr }),
  );

/** Copies the service for a deploy test, pointed at the route stand-in, with `edits`. */
const copyForMoto = (name: string, edits: Parameters<typeof copyProject>[1] = []) =>
  copyProject(join(dir, name), [POINT_AT_STAND_IN, ALL_AT_ONCE, pinRecordsKey(pin), ...edits]);

const deploy = (cwd: string, extra: string[] = [], release = 'v1', stage = STAGE) =>
  serverless(
    cwd,
    ['deploy', '--param', `standInUrl=${routeOf(stage).baseUrl}`, ...extra],
    release,
    stage,
  );

const stack = async () =>
  (
    await new CloudFormationClient(moto.settings()).send(
      new DescribeStacksCommand({ StackName: STACK }),
    )
  ).Stacks?.[0];
const outputs = async () =>
  Object.fromEntries((await stack())?.Outputs?.map((o) => [o.OutputKey, o.OutputValue]) ?? []);
const resourceTypes = async () =>
  (
    await new CloudFormationClient(moto.settings()).send(
      new ListStackResourcesCommand({ StackName: STACK }),
    )
  ).StackResourceSummaries?.map((r) => r.ResourceType) ?? [];

// One deployment story, in order on purpose: each case starts from the stack the one before left
// (first deploy, redeploys, a recorded pass, failures rolled back to it, removal).
describe.skipIf(!hasMoto).sequential('the real deploy path against moto', () => {
  beforeAll(async () => {
    moto = await startMoto();
    // The records key, once per account and region (docs/signed-records.md).
    pin = await createRecordsKey(moto.settings());
    asDeployRole = await deployRoleEnv(moto, 'petsage-smoke-test-deploy');
    route = await startRouteStandIn({ stackName: STACK, aws: moto.settings() });
    firstRoute = await startRouteStandIn({ stackName: FIRST_STACK, aws: moto.settings() });
    eventsRoute = await startRouteStandIn({ stackName: EVENTS_STACK, aws: moto.settings() });
    dir = await mkdtemp(join(tmpdir(), 'petsage-deploy-'));
    await mkdir(join(dir, 'system-tmp'));
    v1 = await copyForMoto('v1');
    broken = await copyForMoto('broken', [BREAK_PAYLOAD]);
    brokenNoRollback = await copyForMoto('broken-no-rollback', [
      BREAK_PAYLOAD,
      { file: 'serverless.yml', from: 'rollbackOnFailure: true', to: 'rollbackOnFailure: false' },
    ]);
  });
  afterAll(async () => {
    await firstRoute?.stop();
    await eventsRoute?.stop();
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
        // The route heartbeat, created through the shim (moto's CloudFormation lacks both).
        'AWS::Events::Connection',
        'AWS::Events::ApiDestination',
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
    expect(await lastJobSummary()).toMatch(
      /^Smoke gate: 1 verified, 0 failed, 0 could not judge\n[\s\S]*\n\| petsage-smoke-test-\S+ \| us-east-1 \| 200 in \d+ ms \| \d+\.\d s \| ✅ verified \|\n/,
    );
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
    lastGood = route.served()?.codeKey;
  });

  it('verifies after a code-only deploy (deploy function) too', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Act
    const run = await serverless(v1, ['deploy', 'function', '-f', 'health'], 'v1-code-only');
    // Assess: the route stand-in serves the stack's zip, so this proves the hook, not the new code.
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/PASS: verified/);
    // Packaging the one function left nothing in the system's temporary directory.
    expect(await readdir(join(dir, 'system-tmp'))).toEqual([]);
  });

  it('fails a code-only deploy that breaks the log path, and says it cannot roll it back', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: a copy with a short deadline; the stand-in ships no lines.
    const quick = await copyForMoto('quick', [
      { file: 'serverless.yml', from: 'timeout: 120', to: 'timeout: 10' },
    ]);
    route.dropLines(true);
    // Act
    const run = await serverless(quick, ['deploy', 'function', '-f', 'health'], 'v1-code-only');
    route.dropLines(false);
    // Assess
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/FAIL {2}log line/);
    expect(run.output).toMatch(/code-only deploy \(`deploy function`\): no automatic rollback/);
    expect(run.output).not.toMatch(/Rolling back/);
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
    const run = await serverless(v1, ['smoke', '--timeout', '10']);
    route.dropLines(false);
    // Assess
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/FAIL {2}log line/);
    expect(run.output).toMatch(/Smoke test failed/);
  });

  it('cannot judge (exit 2) when the log group is gone', { timeout: DEPLOY_TIMEOUT }, async () => {
    // Prepare
    const logs = new CloudWatchLogsClient(moto.settings());
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

  it('rolls a failing deploy back to the last verified deployment and verifies it again', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare
    const junit = join(dir, 'rollback.xml');
    // Act
    const run = await deploy(
      broken,
      ['--param', 'healthPath=/v2/health', '--junit', junit, '--json'],
      'v2-broken',
    );
    // Assess
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(
      /Rolling back: deployment \S+ failed the smoke test; returning to \S+, verified 20/,
    );
    expect(run.output).toMatch(
      /Rolled back to the last verified deployment \S+ \(verified [^)]+\), which PASSES again/,
    );
    expect(route.served()?.codeKey).toBe(lastGood);
    const machine = JSON.parse(run.stdout.split('\n').find((line) => line.startsWith('{')) ?? '');
    expect(machine).toMatchObject({
      verdict: 'failed',
      http: { ok: false },
      rollback: { error: null, restored: { verdict: 'verified' } },
    });
    expect(lastGood).toContain(machine.rollback.to);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/tests="5" failures="2"/);
    expect(xml).toMatch(
      /name="deployment \S+: route answers the smoke-test contract"[^/]*>\s*<failure/,
    );
    expect(xml).toMatch(/<testcase [^>]*name="rollback to \S+ \(verified [^)]+\)"[^>]*\/>/);
    const summary = await lastJobSummary();
    expect(summary).toMatch(/^Smoke gate: 0 verified, 1 failed, 0 could not judge\n/);
    expect(summary).toMatch(
      /\n\| petsage-smoke-test-\S+ \| us-east-1 \| 200 in \d+ ms \| - \| ❌ FAILED: /,
    );
    expect(summary).toMatch(
      /\nRolled back to deployment \S+ \(verified [^)]+\), which passes again\.\n/,
    );
    expect(xml).toMatch(
      /<testcase [^>]*name="restored deployment \S+: log line reaches [^"]+"[^>]*\/>/,
    );
  });

  it('returns to the last good deployment, not the previous one, after two failing deploys', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Act: another broken release right after the first was rolled back.
    const run = await deploy(broken, ['--param', 'healthPath=/v2/health'], 'v3-broken');
    // Assess
    expect(run.code, run.output).toBe(1);
    // Both verdicts in one place: the failed deployment's report, then the restored one's.
    expect(run.output).toMatch(
      /FAIL {2}route[\s\S]*Rolling back[\s\S]*PASS {2}route[\s\S]*PASS: verified/,
    );
    expect(run.output).toMatch(/PASSES again/);
    expect(route.served()?.codeKey).toBe(lastGood);
  });

  it('says so, deletes nothing and exits non-zero when the rollback itself fails', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: the last good deployment's template is gone from the bucket (its zip stays).
    const bucket = (await outputs()).ServerlessDeploymentBucketName ?? '';
    const templateKey = (lastGood ?? '').replace(/[^/]+$/, 'compiled-cloudformation-template.json');
    const s3 = new S3Client({ ...moto.settings(), forcePathStyle: true });
    const before = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: templateKey }));
    // Act
    const run = await deploy(broken, ['--param', 'healthPath=/v2/health'], 'v5-broken');
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    // Assess
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(
      /Rollback to \S+ FAILED: .*Nothing was deleted; the failed deployment is still live/,
    );
    expect(route.served()?.codeKey).not.toBe(lastGood);
    const keys = (list: typeof before) => new Set(list.Contents?.map((o) => o.Key));
    const lost = [...keys(before)].filter((key) => key !== templateKey && !keys(after).has(key));
    expect(lost).toStrictEqual([]);
  });

  it('leaves a deploy it could not judge live (exit 2, no rollback)', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: a good new release, but the log group is gone, so the line cannot be searched.
    const logs = new CloudWatchLogsClient(moto.settings());
    const logGroupName = `/aws/lambda/${STACK}-health`;
    await logs.send(new DeleteLogGroupCommand({ logGroupName }));
    // Act
    const run = await deploy(v1, ['--param', 'healthPath=/v2/health'], 'v4');
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    // Assess
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/No rollback: the verification could not judge this deployment/);
    expect(route.served()?.codeKey).not.toBe(lastGood);
  });

  it('cannot judge a deploy whose route a flood throttles (429 to the end): exit 2, no rollback', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: a good release, with a short deadline, while every route call gets 429.
    const quick = await copyForMoto('quick-flood', [
      { file: 'serverless.yml', from: 'timeout: 120', to: 'timeout: 6' },
    ]);
    route.throttle(true);
    // Act
    const run = await deploy(quick, ['--param', 'healthPath=/v2/health'], 'v6-flooded');
    route.throttle(false);
    // Assess
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(
      /INCONCLUSIVE: could not judge, the route was throttled \(HTTP 429\)/,
    );
    expect(run.output).toMatch(/No rollback: the verification could not judge this deployment/);
    expect(run.output).not.toMatch(/Rolling back/);
    // The flooded route served nothing; the stack says what is live: the new release, kept.
    const live = await liveDirectory();
    expect(live).toMatch(/^\d+-/);
    expect(lastGood).not.toContain(live);
  });

  it.each([
    [
      '--skip-rollback',
      () => broken,
      ['--skip-rollback'],
      'broken-skip-rollback',
      /rollback is off \(--skip-rollback\)/,
    ],
    [
      'custom.smokeTest.rollbackOnFailure: false',
      () => brokenNoRollback,
      [],
      'broken-rollback-off',
      /rollback is off \(custom\.smokeTest\.rollbackOnFailure: false\)/,
    ],
  ])(
    'leaves a failing deploy live with %s',
    { timeout: DEPLOY_TIMEOUT },
    async (_name, cwd, extra, release, message) => {
      // Act
      const run = await deploy(cwd(), ['--param', 'healthPath=/v2/health', ...extra], release);
      // Assess
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(message);
      expect(run.output).not.toMatch(/Rolling back/);
      expect(route.served()?.codeKey).not.toBe(lastGood);
    },
  );

  it('has status name the failed deployment left live (the gate’s record, read first), exit 1', async () => {
    // Act: right after the failing deploy left live by custom.smokeTest.rollbackOnFailure: false.
    const run = await gateJsonRun(moto, 'status', STAGE);
    // Assess
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      status: 'unverified',
      live: { directory: await liveDirectory(), commit: 'broken-rollback-off', verdict: 'failed' },
    });
    expect(report.hints[0]).toMatch(/FAILED its smoke test and was left live/);
  });

  it('leaves a failing first deploy as it is: nothing to return to', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Act
    const run = await deploy(broken, [], 'first-broken', FIRST_STAGE);
    const removed = await serverless(broken, ['remove'], 'first-broken', FIRST_STAGE);
    // Assess
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/No rollback: there is no verified deployment to return to/);
    expect(firstRoute.served()?.codeKey).toMatch(/firstdeploy/);
    expect(removed.code, removed.output).toBe(0);
  });

  it('says what is live and the way back on Ctrl-C during the verification, records it as interrupted, exit 130; the next deploy just works', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: the route holds the verification's first request; then Ctrl-C the deploy.
    const held = route.holdNext();
    const started = startNodeScript(
      SERVERLESS_BIN,
      [
        'deploy',
        '--stage',
        STAGE,
        '--param',
        `standInUrl=${route.baseUrl}`,
        '--param',
        'healthPath=/v2/health',
      ],
      deployEnv('v7'),
      { cwd: v1 },
    );
    // Act
    await held.arrived;
    started.child.kill('SIGINT');
    const run = await started.done;
    held.release();
    const interrupted = await liveDirectory();
    const verdicts = await recordedVerdicts();
    const listed = await history();
    const next = await deploy(v1, ['--param', 'healthPath=/v2/health'], 'v7');
    // Assess: the block, the record, the exit code.
    const output = run.stdout + run.stderr;
    expect(run.code, output).toBe(130);
    expect(output).toContain(
      `Smoke test interrupted by SIGINT: the new deployment ${interrupted} of stack ${STACK} is live and NOT verified.`,
    );
    expect(output).toMatch(
      /go back: +npx serverless rollback --stage \S+ --region us-east-1 --commit/,
    );
    // The record fits in its 1.5 s on most machines; on a loaded one the block says it did not,
    // and then the deployment is never left looking verified.
    const recorded = output.includes(`Recorded deployment ${interrupted} as interrupted.`);
    if (!recorded) {
      expect(output).toContain(`The verdict was NOT recorded: deployment ${interrupted}`);
    }
    const expected = recorded ? 'interrupted' : 'unrecorded';
    expect(verdicts[interrupted]).toBe(recorded ? 'interrupted' : undefined);
    expect(listed.report.deployments).toContainEqual(
      expect.objectContaining({ directory: interrupted, verdict: expected }),
    );
    // The next deploy works as usual, and what it left live is recorded as verified.
    expect(next.code, next.output).toBe(0);
    expect(next.output).toMatch(/PASS: verified/);
    expect(await verifiedDeployments()).toContain(await liveDirectory());
  });

  it('lists every deployment with its commit and verdict, exactly one live (history --json)', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Act
    const { run, report } = await history();
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const live = report.deployments.filter((entry) => entry.live);
    expect(live).toStrictEqual([
      expect.objectContaining({
        directory: await liveDirectory(),
        commit: 'v7',
        verdict: 'verified',
      }),
    ]);
    // The framework keeps the newest deployments; each says what it was built from and its verdict.
    expect(
      report.deployments.find((entry) => entry.commit === 'broken-skip-rollback'),
    ).toMatchObject({
      verdict: 'failed',
      version: '1.0.0',
    });
    expect(report.deployments.find((entry) => entry.commit === 'v6-flooded')).toMatchObject({
      verdict: 'could-not-judge',
    });
    expect(report.deployments.filter((entry) => entry.rollbackTarget).length).toBeLessThanOrEqual(
      1,
    );
  });

  it('changes nothing for an unknown commit and lists the candidates (rollback --commit)', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare
    const before = await liveDirectory();
    // Act
    const run = await serverless(v1, ['rollback', '--commit', 'nosuchcommit']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.output).toMatch(
      /no deployment in the bucket was built from commit "nosuchcommit"; nothing was changed/,
    );
    expect(run.output).toMatch(/commit v7 +verified +LIVE/);
    expect(await liveDirectory()).toBe(before);
  });

  it('rolls back to a commit only when forced past a verdict that did not pass, then verifies and records what it restored (rollback --commit)', {
    timeout: 2 * DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: the good release that a flood kept from being judged (recorded could-not-judge).
    const { report } = await history();
    const target = report.deployments.find((entry) => entry.commit === 'v6-flooded');
    const before = await liveDirectory();
    // Act: a prefix of the commit is enough.
    const refused = await serverless(v1, ['rollback', '--commit', 'v6-fl']);
    const run = await serverless(v1, ['rollback', '--commit', 'v6-fl', '--force']);
    // Assess: nothing it did not pass is restored without --force; forced, it is, and recorded.
    expect(refused.code, refused.output).toBe(2);
    expect(refused.output).toMatch(/recorded as could-not-judge; pass --force/);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(
      /Rolling back to \S+ \(forced\), the newest deployment of commit v6-flooded/,
    );
    expect(run.output).toMatch(/PASS: verified/);
    expect(before).not.toBe(target?.directory);
    expect(await liveDirectory()).toBe(target?.directory);
    expect((await recordedVerdicts())[String(target?.directory)]).toBe('restored');
  });

  it('refuses to roll back onto a verified deployment whose zip was replaced in the bucket', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: someone with bucket access swaps the zip of the deployment a rollback would restore.
    const { report } = await history();
    const verified = String(report.deployments.find((entry) => entry.rollbackTarget)?.directory);
    const { s3, bucket } = await bucketPlace();
    const zipKey = `serverless/petsage-smoke-test/${STAGE}/${verified}/health.zip`;
    const original = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: zipKey }));
    const bytes = (await original.Body?.transformToByteArray()) ?? new Uint8Array();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: zipKey, Body: 'planted' }));
    // Act
    const run = await deploy(broken, ['--param', 'healthPath=/v2/health'], 'v8-broken');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: zipKey, Body: bytes }));
    // Assess
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(
      new RegExp(
        `Rollback to ${verified} FAILED: refused: deployment ${verified}'s artifacts changed since they were verified \\(health\\.zip was replaced`,
      ),
    );
    expect(run.output).not.toMatch(/Service rolled back/);
    expect(report.deployments.find((entry) => entry.live)?.directory).not.toBe(verified);
    expect((await history()).report.deployments.find((entry) => entry.live)).toMatchObject({
      commit: 'v8-broken',
    });
  });

  it('lists the deployments of a stack with a custom deploymentPrefix, from a folder with no serverless.yml (history)', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: a stage deployed under its own prefix (no verification: no route is needed here)
    const prefixed = await copyForMoto('prefixed', [
      {
        file: 'serverless.yml',
        from: 'provider:\n  name: aws\n',
        to: 'provider:\n  name: aws\n  deploymentPrefix: team-artifacts\n',
      },
    ]);
    const deployed = await deploy(prefixed, ['--skip-smoke'], 'prefixed-v1', 'prefixed');
    expect(deployed.code, deployed.output).toBe(0);
    // Act
    const { run, report } = await history('prefixed', dir);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(report.deployments).toStrictEqual([
      expect.objectContaining({ commit: 'prefixed-v1', live: true }),
    ]);
  });

  it('ignores a hostile record with a notice; the older signed version still stands (history)', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: a record that is not JSON, for the live deployment.
    const live = await liveDirectory();
    const before = (await history()).report.deployments.find((entry) => entry.live)?.verdict;
    const { s3, bucket } = await bucketPlace();
    const key = `serverless/petsage-smoke-test/${STAGE}/smoke-records/${live}.json`;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: '\u001b[2J{"verdict":"verified"' }),
    );
    // Act
    const { run, report } = await history();
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(report).toMatchObject({ ignored: [`record of ${live} ignored: not JSON`] });
    // Overwriting a record erases nothing: the newest version the records key signed stands.
    expect(before).not.toBe('unrecorded');
    expect(report.deployments.find((entry) => entry.live)).toMatchObject({ verdict: before });
  });

  /** Starts deploy `first`, holds its verification's route call, runs deploy `second` meanwhile. */
  const overlap = async (
    first: { cwd: string; release: string },
    second: { cwd: string; release: string },
  ) => {
    const held = route.holdNext();
    const firstRun = deploy(first.cwd, ['--param', 'healthPath=/v2/health'], first.release);
    const firstId = await held.arrived;
    const arrivedBefore = route.receivedIds().length;
    const secondRun = deploy(second.cwd, ['--param', 'healthPath=/v2/health'], second.release);
    // The second deploy is done and its verification is waiting behind the held call. On a busy
    // machine the first gate's held attempt may time out and be retried (same id): not counted.
    const secondArrived = () =>
      route
        .receivedIds()
        .slice(arrivedBefore)
        .some((id) => id !== firstId);
    while (!secondArrived()) await new Promise((r) => setTimeout(r, 100));
    held.release();
    return { first: await firstRun, second: await secondRun };
  };

  it('a failing gate neither rolls back nor judges a newer good deploy that took over', {
    timeout: DEPLOY_TIMEOUT * 2,
  }, async () => {
    // Act: the broken release's gate is still verifying when a good one is deployed.
    const { first, second } = await overlap(
      { cwd: broken, release: 'v9-broken' },
      { cwd: v1, release: 'v9-good' },
    );
    // Assess
    expect(first.code, first.output).toBe(2);
    expect(first.output).toMatch(
      /another deploy took over\. This command deployed \S+ \(commit v9-broken\); the stack now runs \S+ \(commit v9-good\)/,
    );
    expect(first.output).not.toMatch(/Rolling back/);
    expect(second.code, second.output).toBe(0);
    const { report } = await history();
    expect(report.deployments.find((entry) => entry.live)).toMatchObject({
      commit: 'v9-good',
      verdict: 'verified',
    });
    expect(report.deployments.find((entry) => entry.commit === 'v9-broken')).toMatchObject({
      verdict: 'superseded',
    });
  });

  it('a passing gate does not vouch for a newer broken deploy, which its own gate rolls back', {
    timeout: DEPLOY_TIMEOUT * 2,
  }, async () => {
    // Act: the good release's gate is still verifying when a broken one is deployed.
    const { first, second } = await overlap(
      { cwd: v1, release: 'v10-good' },
      { cwd: broken, release: 'v10-broken' },
    );
    // Assess
    expect(first.code, first.output).toBe(2);
    expect(first.output).toMatch(
      /another deploy took over.*\(commit v10-good\).*\(commit v10-broken\)/,
    );
    expect(second.code, second.output).toBe(1);
    expect(second.output).toMatch(/Rolled back to the last verified deployment \S+ .*PASSES again/);
    const { report } = await history();
    expect(report.deployments.find((entry) => entry.live)).toMatchObject({ commit: 'v9-good' });
    expect(report.deployments.find((entry) => entry.commit === 'v10-good')).toMatchObject({
      verdict: 'superseded',
    });
  });

  it('publishes PASS, then FAIL and ROLLED BACK, to the alarm topic (read back from SQS)', {
    timeout: DEPLOY_TIMEOUT * 3,
  }, async () => {
    // Prepare: a stage with an alarm e-mail (so a topic), and a queue subscribed to that topic.
    const withTopic = ['--param', 'alarmEmail=oncall@example.com'];
    const first = await deploy(v1, withTopic, 'e1', EVENTS_STAGE);
    expect(first.code, first.output).toBe(0);
    const { Stacks } = await new CloudFormationClient(moto.settings()).send(
      new DescribeStacksCommand({ StackName: EVENTS_STACK }),
    );
    const topicArn = Stacks?.[0]?.Outputs?.find(
      (o) => o.OutputKey === 'AlarmTopicArn',
    )?.OutputValue;
    const sqs = new SQSClient(moto.settings());
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'gate-events' }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await new SNSClient(moto.settings()).send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
    );
    // Act
    const good = await deploy(v1, withTopic, 'e2', EVENTS_STAGE);
    const bad = await deploy(broken, withTopic, 'e3-broken', EVENTS_STAGE);
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const removed = await serverless(v1, ['remove', ...withTopic], 'e3', EVENTS_STAGE);
    // Assess
    expect(good.code, good.output).toBe(0);
    expect(bad.code, bad.output).toBe(1);
    const messages = (received.Messages ?? []).map(
      (m) => JSON.parse(m.Body ?? '{}') as { Subject: string; Message: string },
    );
    expect(messages.map((m) => m.Subject).sort()).toStrictEqual([
      '[Smoke gate] events FAIL',
      '[Smoke gate] events PASS',
      '[Smoke gate] events ROLLED BACK',
    ]);
    const rolledBack = messages.find((m) => m.Subject.endsWith('ROLLED BACK'));
    expect(rolledBack?.Message).toMatch(/commit e3-broken/);
    expect(rolledBack?.Message).toMatch(/rolled back to: \S+, verified again: verified/);
    expect(removed.code, removed.output).toBe(0);
  });

  it('removes the stack', { timeout: DEPLOY_TIMEOUT }, async () => {
    // Act
    const run = await serverless(v1, ['remove']);
    // Assess
    expect(run.code, run.output).toBe(0);
    await expect(stack()).rejects.toThrow(/does not exist/);
  });
});
