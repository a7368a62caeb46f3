// Traffic in steps (docs/traffic.md): a canary of this service, as shipped with
// `traffic: { canary: { percent: 10, minutes: 1 } }`, against moto and the route stand-in.
// Stand-ins, each named:
// - moto_server (harness/aws/moto.ts): CloudFormation, S3, Lambda (versions and aliases, their
//   weights stored and never used), CloudWatch (alarms: created from the template, their state set
//   by this test with SetAlarmState; moto publishes no Lambda metrics, so the one case that needs
//   the new version's Errors writes them with PutMetricData) and CloudWatch Logs.
// - harness/route/route-stand-in.ts: the HTTP API; a weighted alias runs the version a seeded pick
//   by its weights chooses (alias-route.ts pickVersion), as Lambda does, so a split is counted.
// The bake's minutes pass on an injected clock in the cases that run the gate in this process
// (gate/traffic-gate.ts runTrafficGate); the cases that run `serverless deploy` hold the probe at
// the stand-in and act while it waits, so none waits a check's 30 s. Not proven here: Lambda's
// own weighted routing, CloudWatch evaluating alarms, Lambda's Errors metric by executed version.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployRoleEnv } from '../../harness/aws/deploy-role.ts';
import {
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import { createRecordsKey } from '../../harness/aws/records-key.ts';
import { type StartedScript, startNodeScript } from '../../harness/project/node-script.ts';
import { SERVERLESS_BIN } from '../../harness/project/packaged.ts';
import { GATE_CLI } from '../../harness/project/project.ts';
import { copyProject } from '../../harness/project/project-copy.ts';
import {
  CANARY_AT_STAND_IN,
  POINT_AT_STAND_IN,
  pinRecordsKey,
} from '../../harness/project/service-copies.ts';
import { type RouteStandIn, startRouteStandIn } from '../../harness/route/route-stand-in.ts';
import { describeStackOutputs } from '../../packages/smoke-gate/src/aws/stack-outputs.ts';
import { createDeadline } from '../../packages/smoke-gate/src/core/deadline.ts';
import { stageShiftWatch } from '../../packages/smoke-gate/src/gate/shift-watch.ts';
import {
  runTrafficGate,
  type TrafficVerification,
} from '../../packages/smoke-gate/src/gate/traffic-gate.ts';
import { publishDeployedVersion } from '../../packages/smoke-gate/src/traffic/aliases.ts';
import { requiredTrafficStage } from '../../packages/smoke-gate/src/traffic/traffic-stage.ts';
import { runVerification } from '../../packages/smoke-gate/src/verification/run-verification.ts';
import { runNodeScript } from '../helpers/cli.ts';
import { historyOf } from '../helpers/moto-gate.ts';
import { PETSAGE_CONTRACT } from '../helpers/petsage-contract.ts';

const hasMoto = motoForSuite('the traffic-shift suite');

const STAGE = 'shift';
const STACK = `petsage-smoke-test-${STAGE}`;
const FUNCTION = `${STACK}-health`;
const DEPLOY_TIMEOUT = 120_000;
/** The canary this suite ships: 10% for 1 minute. */
const CANARY = { kind: 'canary', percent: 10, minutes: 1 } as const;
/** Requests sent at each check of the bake (twice in a 1-minute canary checked every 30 s). */
const PER_CHECK = 100;

let moto: Moto;
let route: RouteStandIn;
let dir: string;
let copy: string;
let asDeployRole: Awaited<ReturnType<typeof deployRoleEnv>>;

const env = (release: string) => ({
  ...MOTO_CREDENTIALS_ENV,
  ...asDeployRole,
  AWS_ENDPOINT_URL: moto.endpoint,
  SLS_AWS_MONITORING_FREQUENCY: '200',
  RELEASE_ID: release,
  NO_COLOR: '1',
  TMPDIR: join(dir, 'system-tmp'),
});

/** `serverless deploy` of the copy against moto, as the deploy role, started (to signal it). */
const startDeploy = (release: string, extra: string[] = []): StartedScript =>
  startNodeScript(
    SERVERLESS_BIN,
    ['deploy', '--stage', STAGE, '--param', `standInUrl=${route.baseUrl}`, ...extra],
    env(release),
    { cwd: copy },
  );

const deploy = async (release: string, extra: string[] = []) => {
  const run = await startDeploy(release, extra).done;
  return { ...run, output: run.stdout + run.stderr };
};

/** The gate's CLI against moto, as the deploy role. */
const gate = (args: string[]) =>
  runNodeScript(
    GATE_CLI,
    [...args, '--service', 'petsage-smoke-test', '--stage', STAGE, '--region', 'us-east-1'],
    { ...env('cli'), AWS_ENDPOINT_URL: moto.endpoint },
  );

/** The live alias as Lambda (moto) holds it: its version and weights. */
const liveAlias = async () => {
  const alias = await new LambdaClient(moto.settings()).send(
    new GetAliasCommand({ FunctionName: FUNCTION, Name: 'live' }),
  );
  return {
    version: alias.FunctionVersion,
    weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {},
  };
};

/** The gate's AWS settings against moto (credentials as a provider, as the framework gives them). */
const gateAws = () => {
  const { region, endpoint, credentials } = moto.settings();
  return { region, endpoint, credentials: async () => credentials };
};

/** Sends `count` requests to the public route; the stand-in's log says which version answered. */
async function publicRequests(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const answer = await fetch(`${route.baseUrl}/health`);
    await answer.arrayBuffer();
  }
}

/** A verification, given its deadline (ms from now). */
type Verify = (withinMs?: number) => ReturnType<typeof runVerification>;

/** Room for a verification that passes, on a loaded machine: it ends at its line, not its deadline. */
const VERIFY_ROOM_MS = 60_000;

/**
 * The gate after a deploy, in this process (gate/traffic-gate.ts), on a clock that moves only when
 * the bake sleeps: each sleep first sends PER_CHECK public requests. The deploy itself ran with
 * --skip-smoke, so its version is published here. `probe` may wrap the public probe.
 */
async function gateInProcess(
  probe: (verify: Verify) => ReturnType<typeof runVerification>,
  onSleep: (version: string) => Promise<void> = async () => {},
) {
  const aws = gateAws();
  const lambda = new LambdaClient(aws);
  const deadline = createDeadline(Date.now() + 4 * VERIFY_ROOM_MS);
  const stage = await requiredTrafficStage(new CloudFormationClient(aws), STACK, deadline);
  const verify = (request: TrafficVerification) => {
    const run: Verify = (withinMs = VERIFY_ROOM_MS) =>
      runVerification({
        contract: PETSAGE_CONTRACT,
        target: {
          kind: 'aws',
          stackName: STACK,
          service: 'petsage-smoke-test',
          url: request.url,
          logStreamVersion: request.version,
        },
        aws,
        env: {},
        deadline: createDeadline(Date.now() + withinMs),
      });
    return request.url === undefined && request.version === undefined ? probe(run) : run();
  };
  const start = Date.now();
  let slept = 0;
  const bakeServed: number[] = [];
  // The bake's time moves only by what it slept (which passes at once), however loaded the machine.
  const clock = {
    now: () => start + slept,
    sleep: async (ms: number) => {
      const from = route.servedLog().length;
      await onSleep(Object.keys((await liveAlias()).weights)[0] ?? '');
      await publicRequests(PER_CHECK);
      bakeServed.push(from, route.servedLog().length);
      slept += ms;
    },
  };
  const notices: string[] = [];
  const log = { notice: (t: string) => notices.push(t), success: () => {}, error: () => {} };
  const result = await runTrafficGate(
    {
      lambda,
      log,
      deadline,
      printReports: false,
      verify,
      claim: { run: `test-${Date.now()}`, staleAfterMs: 60_000, now: Date.now },
      shift: CANARY,
      clock,
      watchOf: ({ to }) =>
        stageShiftWatch({
          aws,
          stack: STACK,
          functionName: stage.functionName,
          version: to,
          extraAlarms: [],
          deadline,
          log,
          now: clock.now,
        }),
    },
    stage,
    Date.now(),
  );
  const during = route.servedLog().slice(bakeServed[0] ?? 0, bakeServed.at(-1) ?? 0);
  return { result, notices, during, baked: slept };
}

describe.skipIf(!hasMoto).sequential('traffic in steps against moto', () => {
  beforeAll(async () => {
    moto = await startMoto();
    const pin = await createRecordsKey(moto.settings());
    asDeployRole = await deployRoleEnv(moto, 'petsage-smoke-test-deploy');
    route = await startRouteStandIn({ stackName: STACK, aws: moto.settings(), seed: 7 });
    dir = await mkdtemp(join(tmpdir(), 'petsage-shift-'));
    await mkdir(join(dir, 'system-tmp'));
    copy = await copyProject(join(dir, 'canary'), [
      POINT_AT_STAND_IN,
      CANARY_AT_STAND_IN,
      pinRecordsKey(pin),
    ]);
  });
  afterAll(async () => {
    await route?.stop();
    await moto?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it(
    'makes live on a first version at once: there is nothing to shift from',
    async () => {
      // Act
      const run = await deploy('v1');
      // Assess
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(/nothing to shift from: live is made on version \d+ at once/);
      expect((await liveAlias()).weights).toStrictEqual({});
    },
    DEPLOY_TIMEOUT,
  );

  it(
    'serves the new version its share while the canary bakes (seeded: 10% ± 5 points of 200 requests), then all of it',
    async () => {
      // Prepare: the new code deployed, its version not yet published (the gate's work, below).
      const before = (await liveAlias()).version;
      expect((await deploy('v2', ['--skip-smoke'])).code).toBe(0);
      // Act
      const { result, during, baked } = await gateInProcess((verify) => verify());
      await publicRequests(20);
      // Assess
      expect(result).toMatchObject({ promoted: true, movedBack: false, liveBefore: before });
      expect(result.outcome.exitCode).toBe(0);
      // One minute of the bake's clock, in two waits of one check each.
      expect(baked).toBe(60_000);
      expect(during).toHaveLength(2 * PER_CHECK);
      const share = during.filter((r) => r.version === result.version).length / during.length;
      expect(share).toBeGreaterThanOrEqual(0.05);
      expect(share).toBeLessThanOrEqual(0.15);
      expect(during.every((r) => r.version === result.version || r.version === before)).toBe(true);
      expect(
        route
          .servedLog()
          .slice(-20)
          .every((r) => r.version === result.version),
      ).toBe(true);
      expect(await liveAlias()).toStrictEqual({ version: result.version, weights: {} });
    },
    DEPLOY_TIMEOUT,
  );

  it(
    'moves all traffic back in one call when the probe through the public route fails',
    async () => {
      // Prepare
      const before = (await liveAlias()).version;
      expect((await deploy('v3', ['--skip-smoke'])).code).toBe(0);
      // Act: the probe meets API Gateway's 429 (a flood on the public route).
      // Throttled to the end, the probe cannot pass: a short deadline ends it sooner, not otherwise.
      const { result, baked } = await gateInProcess(async (verify) => {
        route.throttle(true);
        try {
          return await verify(3_000);
        } finally {
          route.throttle(false);
        }
      });
      // Assess
      expect(result).toMatchObject({ promoted: true, movedBack: true, liveBefore: before });
      expect(result.outcome.exitCode).toBe(1);
      expect(result.note).toMatch(
        new RegExp(
          `stopped at 10%: the probe through the public route did not pass .*; live moved back to version ${before} in one alias update`,
        ),
      );
      expect(baked).toBe(0);
      expect(await liveAlias()).toStrictEqual({ version: before, weights: {} });
    },
    DEPLOY_TIMEOUT,
  );

  it(
    "moves all traffic back at the next check when the new version's errors rise (written with PutMetricData: moto publishes no Lambda metrics)",
    async () => {
      // Prepare
      const before = (await liveAlias()).version;
      expect((await deploy('v3b', ['--skip-smoke'])).code).toBe(0);
      const cloudWatch = new CloudWatchClient(moto.settings());
      // Act: at the bake's first wait, Lambda would count one error of the weighted version.
      const { result, baked } = await gateInProcess(
        (verify) => verify(),
        async (version) => {
          await cloudWatch.send(
            new PutMetricDataCommand({
              Namespace: 'AWS/Lambda',
              MetricData: [
                {
                  MetricName: 'Errors',
                  Dimensions: [
                    { Name: 'FunctionName', Value: FUNCTION },
                    { Name: 'Resource', Value: `${FUNCTION}:live` },
                    { Name: 'ExecutedVersion', Value: version },
                  ],
                  Value: 1,
                  Timestamp: new Date(),
                },
              ],
            }),
          );
        },
      );
      // Assess
      expect(result).toMatchObject({ movedBack: true, liveBefore: before });
      expect(result.note).toContain(
        `version ${result.version} had 1 error since the shift began (AWS/Lambda Errors by executed version)`,
      );
      expect(baked).toBe(30_000);
      expect(await liveAlias()).toStrictEqual({ version: before, weights: {} });
    },
    DEPLOY_TIMEOUT,
  );

  it(
    'moves all traffic back within one check when an alarm goes to ALARM during the bake: recorded failed, exit 1',
    async () => {
      // Prepare
      const before = (await liveAlias()).version;
      const outputs = await describeStackOutputs(
        new CloudFormationClient(gateAws()),
        STACK,
        createDeadline(Date.now() + 10_000),
      );
      const alarm = outputs.FailureAlarmName as string;
      const cloudWatch = new CloudWatchClient(moto.settings());
      const held = route.holdNext('$default');
      // Act: the alarm fires while the first probe of the bake waits at the stand-in.
      const started = startDeploy('v4');
      await held.arrived;
      await cloudWatch.send(
        new SetAlarmStateCommand({
          AlarmName: alarm,
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed: 1 datapoint [1.0]',
        }),
      );
      held.release();
      const run = await started.done;
      await cloudWatch.send(
        new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'test over' }),
      );
      // Assess
      const output = run.stdout + run.stderr;
      expect(run.code, output).toBe(1);
      expect(output).toContain(
        `Traffic mode: alarm ${alarm} is in ALARM (Threshold Crossed: 1 datapoint [1.0]); moving live back to version ${before}.`,
      );
      expect(await liveAlias()).toStrictEqual({ version: before, weights: {} });
      const { report } = await historyOf(moto, STAGE);
      expect(report.deployments[0]).toMatchObject({ verdict: 'failed', live: false });
    },
    DEPLOY_TIMEOUT,
  );

  it(
    'leaves live weighted as it was on Ctrl-C during the bake, refuses the next deploy, and abort undoes the shift',
    async () => {
      // Prepare
      const before = (await liveAlias()).version;
      const held = route.holdNext('$default');
      // Act
      const started = startDeploy('v5');
      await held.arrived;
      started.child.kill('SIGINT');
      const run = await started.done;
      held.release();
      const left = await liveAlias();
      const refused = await deploy('v6');
      const aborted = await gate(['abort']);
      // Assess
      const output = run.stdout + run.stderr;
      expect(run.code, output).toBe(130);
      const to = Object.keys(left.weights)[0];
      expect(left).toStrictEqual({ version: before, weights: { [to as string]: 0.1 } });
      expect(output).toContain(
        `during a shift: live of stack ${STACK} is left as it was: version ${to} at 10%, the rest on version ${before}`,
      );
      expect(output).toMatch(
        /finish the shift .*: +npx smoke-gate promote --service petsage-smoke-test --stage shift --region us-east-1/,
      );
      expect(output).toMatch(/undo it .*: +npx smoke-gate abort /);
      if (!output.includes('as interrupted.'))
        expect(output).toContain('The verdict was NOT recorded');
      expect(refused.code, refused.output).toBe(2);
      expect(refused.output).toContain(
        `a shift of live is in progress: version ${to} at 10%, the rest on version ${before}. Finish it: npx smoke-gate promote --stage shift --region us-east-1; undo it: npx smoke-gate abort --stage shift --region us-east-1. Nothing was deployed`,
      );
      expect(aborted.code, aborted.stderr).toBe(0);
      expect(aborted.stdout).toContain(
        `aborted: live of stack ${STACK} serves version ${before} whole`,
      );
      expect(await liveAlias()).toStrictEqual({ version: before, weights: {} });
    },
    DEPLOY_TIMEOUT,
  );

  it(
    'promote finishes a shift left halfway: live whole on the new version',
    async () => {
      // Prepare: another bake interrupted.
      const held = route.holdNext('$default');
      const started = startDeploy('v7');
      await held.arrived;
      started.child.kill('SIGINT');
      await started.done;
      held.release();
      const to = Object.keys((await liveAlias()).weights)[0];
      // Act
      const promoted = await gate(['promote', '--json']);
      // Assess
      expect(promoted.code, promoted.stderr).toBe(0);
      expect(JSON.parse(promoted.stdout)).toMatchObject({ ok: true, action: 'promote', live: to });
      expect(await liveAlias()).toStrictEqual({ version: to, weights: {} });
    },
    DEPLOY_TIMEOUT,
  );
});
