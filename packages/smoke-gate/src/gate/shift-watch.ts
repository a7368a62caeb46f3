// What watches a shift of traffic while it bakes (docs/traffic.md): the stage's alarms (the ones
// the gate generated, and any the service names), the new version's errors (Lambda's Errors metric
// by executed version) and the failure line its contract names, written by that version. Each
// check reads since the shift began; one that cannot be read stops the shift too: a bake the gate
// cannot see is not one it lets go on.

import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandOutput,
  GetMetricStatisticsCommand,
  type GetMetricStatisticsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { callAws } from '../aws/aws-call.ts';
import { type AwsSettings, createCloudFormationClient, sharedClients } from '../aws/aws-clients.ts';
import { cloudWatchClientFor } from '../aws/cloudwatch-client.ts';
import { filterLogEventsOnce } from '../aws/log-reads.ts';
import { describeStackGate, describeStackOutputs } from '../aws/stack-outputs.ts';
import { createDeadline, type Deadline } from '../core/deadline.ts';
import { SHIFT_DEFAULTS } from '../core/defaults.ts';
import type { PluginLog } from '../core/framework.ts';
import { safeMessage, safeText } from '../core/safe-text.ts';
import { narrowingTerm, storedWatchedLines, type WatchedLines } from '../status/heartbeat-lines.ts';
import { TRAFFIC_NAMES } from '../traffic/traffic-stage.ts';
import { keyProblems, lineOf } from '../verification/contract-check.ts';

/** The watch of one shift: what it reads, in words, and one check of all of it. */
export interface ShiftWatch {
  watched: string[];
  /** The first problem since `since` (epoch ms), or undefined when all is well. */
  check(since: number): Promise<string | undefined>;
}

/** Where the watch reads: the function, its log group, the alarms and the version. */
export interface WatchTarget {
  functionName: string;
  alias: string;
  version: string;
  logGroupName: string;
  alarms: string[];
  lines: WatchedLines | undefined;
  region?: string | undefined;
}

/** The clients the watch calls through. */
export interface WatchClients {
  cloudWatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
}

const callDeadline = () => createDeadline(Date.now() + SHIFT_DEFAULTS.watchCallTimeoutMs);

/** The alarms now in ALARM (`name`, and `alarm <name> is in ALARM (<reason>)`), and those missing. */
export async function alarmsInAlarm(
  cloudWatch: CloudWatchClient,
  names: string[],
): Promise<{ inAlarm: { name: string; text: string }[]; missing: string[] }> {
  if (names.length === 0) return { inAlarm: [], missing: [] };
  const answer = await callAws<DescribeAlarmsCommandOutput>(
    cloudWatch,
    new DescribeAlarmsCommand({ AlarmNames: names }),
    { what: 'CloudWatch alarms', deadline: callDeadline(), needs: 'cloudwatch:DescribeAlarms' },
  );
  const found = answer.MetricAlarms ?? [];
  return {
    inAlarm: found
      .filter((alarm) => alarm.StateValue === 'ALARM')
      .map((alarm) => ({
        name: alarm.AlarmName ?? '',
        text: `alarm ${safeText(alarm.AlarmName ?? '')} is in ALARM (${safeText(alarm.StateReason ?? 'no reason given', 160)})`,
      })),
    missing: names.filter((name) => !found.some((alarm) => alarm.AlarmName === name)),
  };
}

/** The new version's errors since `since`: Lambda's Errors metric by executed version. */
export async function versionErrors(
  cloudWatch: CloudWatchClient,
  target: Pick<WatchTarget, 'functionName' | 'alias' | 'version'>,
  window: { since: number; now: number },
): Promise<number> {
  const answer = await callAws<GetMetricStatisticsCommandOutput>(
    cloudWatch,
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [
        { Name: 'FunctionName', Value: target.functionName },
        { Name: 'Resource', Value: `${target.functionName}:${target.alias}` },
        { Name: 'ExecutedVersion', Value: target.version },
      ],
      // Whole minutes: the datapoint of the minute the shift began counts.
      StartTime: new Date(Math.floor(window.since / 60_000) * 60_000),
      EndTime: new Date(window.now + 60_000),
      Period: 60,
      Statistics: ['Sum'],
    }),
    {
      what: `Lambda's errors of version ${target.version}`,
      deadline: callDeadline(),
      needs: 'cloudwatch:GetMetricStatistics',
    },
  );
  return (answer.Datapoints ?? []).reduce((sum, point) => sum + (point.Sum ?? 0), 0);
}

/** Whether the version wrote its failure line since `since` (one page of the newest). */
export async function versionFailureLine(
  logs: CloudWatchLogsClient,
  target: Pick<WatchTarget, 'logGroupName' | 'version' | 'lines' | 'region'>,
  since: number,
): Promise<boolean> {
  const failure = target.lines?.failure;
  if (failure === undefined) return false;
  const formats = target.lines?.smoke.formats ?? [];
  const call = await filterLogEventsOnce(
    logs,
    { logGroupName: target.logGroupName, startTime: since, filterPattern: narrowingTerm(failure) },
    {
      what: `CloudWatch Logs group ${safeText(target.logGroupName)}`,
      deadline: callDeadline(),
      region: target.region,
    },
  );
  if ('retry' in call) throw new Error(`CloudWatch Logs ${call.retry}`);
  return (call.page.events ?? []).some((event) => {
    if (!(event.logStreamName ?? '').includes(`[${target.version}]`)) return false;
    const line = lineOf(event.message ?? '', formats);
    return line !== undefined && keyProblems(line, failure, [], 'line').length === 0;
  });
}

/** The watch of a shift to `target.version`; `ignored` alarms were in ALARM before it began. */
export function shiftWatch(
  clients: WatchClients,
  target: WatchTarget,
  ignored: string[],
  now: () => number,
): ShiftWatch {
  const alarms = target.alarms.filter((name) => !ignored.includes(name));
  const watched = [
    ...(alarms.length === 0 ? [] : [`alarms ${alarms.join(', ')}`]),
    `version ${target.version}'s errors (AWS/Lambda Errors by executed version)`,
    ...(target.lines?.failure === undefined ? [] : [`its failure line`]),
    'a probe through the public route at each step',
  ];
  return {
    watched,
    async check(since) {
      try {
        const { inAlarm, missing } = await alarmsInAlarm(clients.cloudWatch, alarms);
        const [firing] = inAlarm;
        if (firing !== undefined) return firing.text;
        if (missing.length > 0) return `alarm ${missing.join(', ')} does not exist`;
        const errors = await versionErrors(clients.cloudWatch, target, { since, now: now() });
        if (errors > 0) {
          return `version ${target.version} had ${errors} error${errors === 1 ? '' : 's'} since the shift began (AWS/Lambda Errors by executed version)`;
        }
        if (await versionFailureLine(clients.logs, target, since)) {
          return `version ${target.version} wrote its failure line`;
        }
        return undefined;
      } catch (error) {
        return `the watch could not be read (${safeMessage(error, 200)})`;
      }
    },
  };
}

/**
 * The watch of a shift on a deployed stage: its alarms from the stack's outputs and the service's
 * own, its log group, and the failure line its stack's Metadata names. Alarms already in ALARM
 * before the shift are said and left out (a fix must be able to ship).
 */
export async function stageShiftWatch(input: {
  aws: AwsSettings;
  stack: string;
  functionName: string;
  version: string;
  extraAlarms: string[];
  deadline: Deadline;
  log: PluginLog;
  now: () => number;
}): Promise<ShiftWatch> {
  const { aws, stack, deadline } = input;
  const cloudFormation = createCloudFormationClient(aws);
  const context = { region: aws.region, profile: aws.profile };
  const outputs = await describeStackOutputs(cloudFormation, stack, deadline, context);
  const lines = storedWatchedLines(
    stack,
    await describeStackGate(cloudFormation, stack, deadline, context),
  );
  const alarms = [
    outputs.HeartbeatAlarmName,
    outputs.RouteHeartbeatAlarmName,
    outputs.FailureAlarmName,
    ...input.extraAlarms,
  ].filter((name): name is string => name !== undefined);
  const cloudWatch = cloudWatchClientFor(aws);
  const before = await alarmsInAlarm(cloudWatch, alarms);
  const ignored = before.inAlarm.map((alarm) => alarm.name);
  if (ignored.length > 0) {
    input.log.notice(
      `Traffic mode: ${before.inAlarm.map((alarm) => alarm.text).join('; ')} before the shift: not watched during it.`,
    );
  }
  return shiftWatch(
    { cloudWatch, logs: sharedClients.logs(aws) },
    {
      functionName: input.functionName,
      alias: TRAFFIC_NAMES.live,
      version: input.version,
      logGroupName: outputs.HealthLogGroupName ?? `/aws/lambda/${input.functionName}`,
      alarms,
      lines,
      region: aws.region,
    },
    ignored,
    input.now,
  );
}
