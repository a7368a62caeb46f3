// `petsage-smoke status` against moto_server as CloudFormation, CloudWatch (alarms) and CloudWatch
// Logs. The test plays what the deployed stack would do: it creates the stack outputs and the two
// alarms through moto's APIs, sets their states, and puts heartbeat lines (written by the real
// handler) into the log group. Not proven here: that CloudWatch evaluates the metric filters and
// alarms (moto does neither; see monitoring-template.test.ts for the patterns).
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import routeHeartbeatEvent from '../../harness/lambda/events/http-api-route-heartbeat.json' with {
  type: 'json',
};
import scheduledEvent from '../../harness/lambda/events/scheduled-event.json' with { type: 'json' };
import { lambdaContext } from '../../harness/lambda/lambda-context.ts';
import { runCliProcess } from '../helpers/cli.ts';
import { PETSAGE_GATE_METADATA } from '../helpers/petsage-contract.ts';
import { putAlarmsInOk } from '../helpers/stage-alarms.ts';
import { captureOutput } from '../helpers/stdout.ts';

const hasMoto = motoForSuite('the status suite');

let moto: Moto;

/** One heartbeat line as the real handler writes it: the direct schedule's, or the route's. */
const heartbeatLine = async (event: object = scheduledEvent): Promise<string> => {
  const output = captureOutput();
  try {
    const { createHandler } = await import('../../functions/health.ts');
    const { logger } = await import('../../lib/logger.ts');
    const { loadConfig } = await import('../../lib/config.ts');
    await createHandler({ config: loadConfig(), logger, now: () => new Date() })(
      structuredClone(event) as never,
      lambdaContext(),
    );
    const [line] = output.rawLines();
    return line ?? '';
  } finally {
    output.restore();
  }
};

/**
 * A deployed stage as the stack would leave it: outputs, alarms, a log group with the direct
 * heartbeat's line and the route heartbeat's line, each of the given age (none when undefined).
 */
const deployStage = async (
  stage: string,
  heartbeatAgeMs: number | undefined,
  routeAgeMs: number | undefined = heartbeatAgeMs,
  failureAlarm = true,
  metadata: object = PETSAGE_GATE_METADATA,
) => {
  const names = {
    heartbeat: `petsage-smoke-test-${stage}-heartbeat-missing`,
    route: `petsage-smoke-test-${stage}-route-heartbeat-missing`,
    failure: `petsage-smoke-test-${stage}-smoke-failed`,
    group: `/aws/lambda/petsage-smoke-test-${stage}-health`,
  };
  await new CloudFormationClient(moto.settings()).send(
    new CreateStackCommand({
      StackName: `petsage-smoke-test-${stage}`,
      TemplateBody: JSON.stringify({
        Metadata: metadata,
        Resources: { Placeholder: { Type: 'AWS::SNS::Topic' } },
        Outputs: {
          HeartbeatAlarmName: { Value: names.heartbeat },
          RouteHeartbeatAlarmName: { Value: names.route },
          ...(failureAlarm ? { FailureAlarmName: { Value: names.failure } } : {}),
          HealthLogGroupName: { Value: names.group },
        },
      }),
    }),
  );
  const cloudWatch = new CloudWatchClient(moto.settings());
  await putAlarmsInOk(cloudWatch, [names.heartbeat, names.route, names.failure]);
  const logs = new CloudWatchLogsClient(moto.settings());
  await logs.send(new CreateLogGroupCommand({ logGroupName: names.group }));
  const events = [];
  if (heartbeatAgeMs !== undefined) {
    const timestamp = Date.now() - heartbeatAgeMs;
    events.push({ timestamp: timestamp - 1, message: 'START RequestId: x Version: $LATEST' });
    events.push({ timestamp, message: await heartbeatLine() });
  }
  if (routeAgeMs !== undefined) {
    events.push({
      timestamp: Date.now() - routeAgeMs,
      message: await heartbeatLine(routeHeartbeatEvent),
    });
  }
  if (events.length > 0) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: names.group, logStreamName: 's1' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: names.group,
        logStreamName: 's1',
        logEvents: events.sort((a, b) => a.timestamp - b.timestamp),
      }),
    );
  }
  return names;
};

const status = (stage: string, extra: string[] = []) =>
  runCliProcess(['status', '--stage', stage, '--timeout', '20', ...extra], {
    ...MOTO_CREDENTIALS_ENV,
    AWS_ENDPOINT_URL: moto.endpoint,
  });

describe.skipIf(!hasMoto)('petsage-smoke status against moto', () => {
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('is healthy (exit 0) with both alarms OK and a fresh heartbeat', async () => {
    // Prepare
    await deployStage('healthy', 2 * 60_000);
    // Act
    const run = await status('healthy', ['--json']);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      ok: true,
      status: 'healthy',
      alarms: [
        { role: 'heartbeat', state: 'OK' },
        { role: 'route', state: 'OK' },
        { role: 'failure', state: 'OK' },
      ],
      heartbeat: { found: true },
      routeHeartbeat: { found: true, trigger: 'route-heartbeat' },
      broken: null,
    });
    // The last 24 hours, per hour: the two heartbeat lines, no failure, the lag moto reports.
    expect(report.history.lines).toHaveLength(24);
    expect(report.history.lines.reduce((a: number, b: number) => a + b)).toBe(2);
    expect(report.history.failures.reduce((a: number, b: number) => a + b)).toBe(0);
    expect(report.history.lagMs.samples).toBe(2);
    expect(report.heartbeat.ageMs).toBeGreaterThanOrEqual(2 * 60_000 - 1_000);
    expect(report.heartbeat.ageMs).toBeLessThan(3 * 60_000);
  });

  it('reads a stage whose gate describes no failure line: no failure alarm, still healthy', async () => {
    // Prepare
    await deployStage('nofailure', 2 * 60_000, 2 * 60_000, false);
    // Act
    const run = await status('nofailure', ['--json']);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'healthy',
      alarms: [
        { role: 'heartbeat', state: 'OK' },
        { role: 'route', state: 'OK' },
      ],
    });
    expect(JSON.parse(run.stdout).alarms).toHaveLength(2);
  });

  it('is alarming (exit 1) when an alarm is in ALARM, and says which', async () => {
    // Prepare
    const names = await deployStage('alarming', 60_000);
    await new CloudWatchClient(moto.settings()).send(
      new SetAlarmStateCommand({
        AlarmName: names.failure,
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed: 1 datapoint [2.0]',
      }),
    );
    // Act
    const run = await status('alarming');
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ALARM\s+failure alarm\s+petsage-smoke-test-alarming-smoke-failed/);
    expect(run.stdout).toMatch(/^ALARMING$/m);
  });

  it('is stale (exit 1) when the last heartbeat is older than the window', async () => {
    // Prepare
    await deployStage('stale', 25 * 60_000);
    // Act
    const run = await status('stale', ['--json']);
    // Assess
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'stale', heartbeat: { found: true } });
  });

  it('is stale (exit 1) when no heartbeat line arrived at all', async () => {
    // Prepare
    await deployStage('silent', undefined);
    // Act
    const run = await status('silent');
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/STALE\s+last heartbeat\s+none in the last 30 min/);
    expect(run.stdout).toMatch(/lines\/24 h +\| {24}\| {2}0/);
  });

  it('names the route as the broken half when the function still writes but nothing came through it', async () => {
    // Prepare: the direct heartbeat is fresh; the last route line is 40 minutes old.
    const names = await deployStage('routebroken', 60_000, 40 * 60_000);
    await new CloudWatchClient(moto.settings()).send(
      new SetAlarmStateCommand({
        AlarmName: names.route,
        StateValue: 'ALARM',
        StateReason: 'no route lines',
      }),
    );
    // Act
    const run = await status('routebroken');
    const json = await status('routebroken', ['--json']);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /ALARM\s+route alarm\s+petsage-smoke-test-routebroken-route-heartbeat-missing/,
    );
    expect(run.stdout).toMatch(/STALE\s+through route/);
    expect(run.stdout).toMatch(/broken: the route \(API Gateway -> Lambda\)/);
    expect(run.stdout).toMatch(
      /hint: the route is broken: the function still writes its direct heartbeat lines/,
    );
    expect(JSON.parse(json.stdout)).toMatchObject({ broken: 'route', heartbeat: { found: true } });
  });

  it('names the function as the broken half when neither heartbeat wrote a line', async () => {
    // Prepare
    await deployStage('fnbroken', 40 * 60_000, 40 * 60_000);
    // Act
    const run = await status('fnbroken', ['--json']);
    // Assess
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'stale', broken: 'function' });
  });

  it('reads no lines of a stack whose template stores no contract, and says so (stale, exit 1)', async () => {
    // Prepare: fresh lines, but a stack deployed without the gate's Metadata.
    await deployStage('nometadata', 60_000, 60_000, true, {});
    // Act
    const run = await status('nometadata', ['--json']);
    // Assess
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ status: 'stale', heartbeat: { found: false } });
    expect(report.hints).toContain(
      "the stack's template stores no smoke-test contract (Metadata.SmokeGate), so its lines were not read: deploy it with this version of the gate.",
    );
  });

  it('exits 2 naming the monitoring keys when the stack runs no heartbeat', async () => {
    // Prepare: a stack deployed with heartbeat: false (no heartbeat alarm, no route heartbeat).
    await new CloudFormationClient(moto.settings()).send(
      new CreateStackCommand({
        StackName: 'petsage-smoke-test-quiet',
        TemplateBody: JSON.stringify({
          Metadata: PETSAGE_GATE_METADATA,
          Resources: { Placeholder: { Type: 'AWS::SNS::Topic' } },
          Outputs: { HealthLogGroupName: { Value: '/aws/lambda/petsage-smoke-test-quiet-health' } },
        }),
      }),
    );
    // Act
    const run = await status('quiet');
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /stack petsage-smoke-test-quiet runs no heartbeat \(no HeartbeatAlarmName output\): turn one on in custom\.smokeTest\.monitoring/,
    );
  });

  it('exits 2 when the stage has no stack', async () => {
    // Act
    const run = await status('nostack', ['--json']);
    // Assess
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { exitCode: 2 } });
    expect(run.stderr).toMatch(/stack petsage-smoke-test-nostack does not exist/);
  });
});
