import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricStatisticsCommand,
} from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import {
  shiftWatch,
  stageShiftWatch,
} from '../../../../packages/smoke-gate/src/gate/shift-watch.ts';

const cloudWatch = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
afterEach(() => {
  cloudWatch.reset();
  logs.reset();
});

const NOW = Date.parse('2026-12-07T06:00:00.000Z');
const TARGET = {
  functionName: 'orders-prod-ping',
  alias: 'live',
  version: '5',
  logGroupName: '/aws/lambda/orders-prod-ping',
  alarms: ['orders-prod-heartbeat-missing', 'orders-prod-p99'],
  lines: {
    smoke: { json: { msg: 'ping_done' }, required: [], formats: ['lambda-text' as const] },
    failure: { msg: 'ping_failed' },
  },
};

/** A watch over the two mocked clients; `ignored` alarms were in ALARM before the shift. */
const watch = (ignored: string[] = []) =>
  shiftWatch(
    {
      cloudWatch: new CloudWatchClient({ region: 'us-east-1' }),
      logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
    },
    TARGET,
    ignored,
    () => NOW,
  );

/** All well: alarms OK, no errors, no failure line. */
function allWell() {
  cloudWatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: TARGET.alarms.map((AlarmName) => ({ AlarmName, StateValue: 'OK' })),
  });
  cloudWatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [] });
  logs.on(FilterLogEventsCommand).resolves({ events: [] });
}

const failureLine = (stream: string) => ({
  logStreamName: stream,
  timestamp: NOW,
  message: `2026-12-07T06:00:00.000Z\t3f1c2b9e-2f0a-4a58-9d4e-1b2c3d4e5f60\tERROR\t{"msg":"ping_failed"}\n`,
});

describe('shiftWatch', () => {
  it('says what it watches, and finds nothing wrong when all is well', async () => {
    // Prepare
    allWell();
    // Act
    const problem = await watch().check(NOW - 60_000);
    // Assess
    expect(problem).toBeUndefined();
    expect(watch().watched).toStrictEqual([
      'alarms orders-prod-heartbeat-missing, orders-prod-p99',
      "version 5's errors (AWS/Lambda Errors by executed version)",
      'its failure line',
      'a probe through the public route at each step',
    ]);
    expect(cloudWatch.commandCalls(GetMetricStatisticsCommand)[0]?.args[0].input).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [
        { Name: 'FunctionName', Value: 'orders-prod-ping' },
        { Name: 'Resource', Value: 'orders-prod-ping:live' },
        { Name: 'ExecutedVersion', Value: '5' },
      ],
    });
  });

  it('names an alarm in ALARM, leaving out those in ALARM before the shift', async () => {
    // Prepare
    allWell();
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: 'orders-prod-p99', StateValue: 'ALARM', StateReason: 'Threshold Crossed' },
      ],
    });
    // Act
    const problem = await watch().check(NOW - 60_000);
    const ignoring = await watch(['orders-prod-p99', 'orders-prod-heartbeat-missing']).check(NOW);
    // Assess
    expect(problem).toBe('alarm orders-prod-p99 is in ALARM (Threshold Crossed)');
    expect(ignoring).toBeUndefined();
  });

  it("counts the new version's errors, and finds its failure line in its own streams only", async () => {
    // Prepare
    allWell();
    cloudWatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Sum: 2 }, { Sum: 1 }] });
    // Act
    const errors = await watch().check(NOW - 60_000);
    allWell();
    logs.on(FilterLogEventsCommand).resolves({
      events: [failureLine('2026/12/07/[4]abc'), failureLine('2026/12/07/[5]def')],
    });
    const line = await watch().check(NOW - 60_000);
    logs.on(FilterLogEventsCommand).resolves({ events: [failureLine('2026/12/07/[4]abc')] });
    const other = await watch().check(NOW - 60_000);
    // Assess
    expect(errors).toBe(
      'version 5 had 3 errors since the shift began (AWS/Lambda Errors by executed version)',
    );
    expect(line).toBe('version 5 wrote its failure line');
    expect(other).toBeUndefined();
  });

  it('names an alarm it was told to watch that does not exist', async () => {
    // Prepare
    allWell();
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'orders-prod-heartbeat-missing', StateValue: 'OK' }],
    });
    // Act
    const problem = await watch().check(NOW);
    // Assess
    expect(problem).toBe('alarm orders-prod-p99 does not exist');
  });

  it('counts one error as one, and a line with the failure key but another value as none', async () => {
    // Prepare
    allWell();
    cloudWatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Sum: 1 }] });
    // Act
    const one = await watch().check(NOW - 60_000);
    allWell();
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        {
          ...failureLine('2026/12/07/[5]def'),
          message: `2026-12-07T06:00:00.000Z\t3f1c2b9e-2f0a-4a58-9d4e-1b2c3d4e5f60\tINFO\t{"msg":"ping_failed_not"}\n`,
        },
      ],
    });
    const lookalike = await watch().check(NOW - 60_000);
    // Assess
    expect(one).toBe(
      'version 5 had 1 error since the shift began (AWS/Lambda Errors by executed version)',
    );
    expect(lookalike).toBeUndefined();
    expect(cloudWatch.commandCalls(GetMetricStatisticsCommand)[0]?.args[0].input).toMatchObject({
      StartTime: new Date(NOW - 60_000),
      Statistics: ['Sum'],
    });
  });

  it('says it watches no alarms when there are none to watch', () => {
    // Act
    const watched = shiftWatch(
      {
        cloudWatch: new CloudWatchClient({ region: 'us-east-1' }),
        logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
      },
      { ...TARGET, alarms: [], lines: undefined },
      [],
      () => NOW,
    ).watched;
    // Assess
    expect(watched).toStrictEqual([
      "version 5's errors (AWS/Lambda Errors by executed version)",
      'a probe through the public route at each step',
    ]);
  });

  it('stops a bake it cannot see: an unreadable watch is a problem', async () => {
    // Prepare
    cloudWatch
      .on(DescribeAlarmsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    // Act
    const problem = await watch().check(NOW);
    // Assess
    expect(problem).toMatch(/^the watch could not be read \(/);
  });
});

describe('stageShiftWatch (a deployed stage)', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  afterEach(() => cloudFormation.reset());

  it("watches the stack's alarms and the service's, leaving out those in ALARM before, said once", async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'orders-prod',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: 'HealthLogGroupName', OutputValue: '/aws/lambda/orders-prod-ping' },
            { OutputKey: 'HeartbeatAlarmName', OutputValue: 'orders-prod-heartbeat-missing' },
            { OutputKey: 'FailureAlarmName', OutputValue: 'orders-prod-smoke-failed' },
          ],
        },
      ],
    });
    cloudFormation.on(GetTemplateCommand).resolves({
      TemplateBody: JSON.stringify({
        Metadata: {
          SmokeGate: {
            Contract: { logLine: { json: { msg: 'ping_done' } } },
            WatchedLines: { failureLine: { msg: 'ping_failed' } },
          },
        },
      }),
    });
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: 'orders-prod-heartbeat-missing', StateValue: 'ALARM', StateReason: 'quiet' },
        { AlarmName: 'orders-prod-smoke-failed', StateValue: 'OK' },
        { AlarmName: 'orders-prod-p99', StateValue: 'OK' },
      ],
    });
    const notices: string[] = [];
    // Act
    const watch = await stageShiftWatch({
      aws: { region: 'us-east-1' },
      stack: 'orders-prod',
      functionName: 'orders-prod-ping',
      version: '5',
      extraAlarms: ['orders-prod-p99'],
      deadline: createDeadline(Date.now() + 10_000),
      log: { notice: (t) => notices.push(t), success: () => {}, error: () => {} },
      now: () => NOW,
    });
    // Assess
    expect(watch.watched[0]).toBe('alarms orders-prod-smoke-failed, orders-prod-p99');
    expect(watch.watched).toContain('its failure line');
    expect(notices).toStrictEqual([
      'Traffic mode: alarm orders-prod-heartbeat-missing is in ALARM (quiet) before the shift: not watched during it.',
    ]);
  });
});
