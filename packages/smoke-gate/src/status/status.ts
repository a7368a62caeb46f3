import {
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandOutput,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { AwsRetryableError, callAws } from '../aws/aws-call.ts';
import {
  type AwsClients,
  type AwsSettings,
  checkCallDestination,
  sharedClients,
} from '../aws/aws-clients.ts';
import { cloudWatchClientFor } from '../aws/cloudwatch-client.ts';
import type { LogCallBudget } from '../aws/log-call-budget.ts';
import { describeStackGate, describeStackOutputs, stackName } from '../aws/stack-outputs.ts';
import type { Deadline, Sleep } from '../core/deadline.ts';
import { STATUS_DEFAULTS } from '../core/defaults.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { type Limit, unlimited } from '../core/limit.ts';
import { safeText } from '../core/safe-text.ts';
import { bucketCounts, percentile } from '../core/sparkline.ts';
import { type AlarmStatus, type Health, judgeHealth } from './health.ts';
import { readSmokeLines, type SmokeLines, storedWatchedLines } from './heartbeat-lines.ts';
import { type LiveRecord, readLiveRecord } from './live-record.ts';

export type { AlarmStatus } from './health.ts';

/** A stage's continuous health, as printed by `status --json`. */
export interface StatusReport {
  ok: boolean;
  status: Health['status'];
  stage: string;
  stack: string;
  /** The gate's record of the live deployment (read first: the freshest fact). */
  live: LiveRecord;
  alarms: AlarmStatus[];
  /** The function half: the newest smoke line that did not come through the route. */
  heartbeat: LineAge & { staleAfterMs: number };
  /** The route half: the newest line that came through API Gateway, and its route key's value. */
  routeHeartbeat: LineAge & { trigger: string | null };
  /** Which half is broken, when one is: the route (the function still writes), or the function. */
  broken: 'route' | 'function' | null;
  /** The last 24 hours: smoke and failure lines per hour (oldest first), and the ingestion lag. */
  history: {
    hours: number;
    lines: number[];
    failures: number[];
    lagMs: { p50: number | null; p95: number | null; samples: number };
  };
  elapsedMs: number;
  hints: string[];
}

/** How old the newest line of one kind is. */
export interface LineAge {
  found: boolean;
  timestamp: string | null;
  ageMs: number | null;
}

/** What `status` needs: the stage, AWS settings and the one deadline. */
export interface StatusRequest {
  stage: string;
  service: string;
  aws: AwsSettings;
  env: NodeJS.ProcessEnv;
  deadline: Deadline;
  staleAfterMs?: number;
  now?: () => number;
  sleep?: Sleep;
  /** Many targets: clients shared per region, and the region's CloudWatch Logs budget. */
  clients?: AwsClients | undefined;
  budget?: LogCallBudget | undefined;
  /** Many targets: the run's pool, which the stack and alarm reads wait for (the log reads do not). */
  limit?: Limit | undefined;
}

/** The window of the hourly chart. */
const HISTORY_HOURS = 24;
const HOUR_MS = 3_600_000;

const iso = (timestamp: number | undefined) =>
  timestamp === undefined ? null : new Date(timestamp).toISOString();

const alarmStatus = (role: AlarmStatus['role'], name: string, alarm: MetricAlarm | undefined) => ({
  role,
  name: safeText(name),
  state: alarm?.StateValue ?? 'MISSING',
  since: alarm?.StateUpdatedTimestamp?.toISOString() ?? null,
  reason: alarm?.StateReason === undefined ? null : safeText(alarm.StateReason),
});

/** The stack outputs `status` reads: the alarms' names and the log group. */
async function stageOutputs(request: StatusRequest, stack: string) {
  const context = { region: request.aws.region, profile: request.aws.profile };
  const clients = request.clients ?? sharedClients;
  const outputs = await (request.limit ?? unlimited)(() =>
    describeStackOutputs(clients.cloudFormation(request.aws), stack, request.deadline, context),
  );
  // A service whose gate describes no failure line has no failure alarm (docs/use-the-gate.md).
  if (outputs.HealthLogGroupName === undefined) {
    throw new CouldNotJudgeError(
      `stack ${stack} has no HealthLogGroupName output: deploy this version of the service, which creates it`,
    );
  }
  if (outputs.HeartbeatAlarmName === undefined && outputs.RouteHeartbeatAlarmName === undefined) {
    throw new CouldNotJudgeError(
      `stack ${stack} runs no heartbeat (no HeartbeatAlarmName output): turn one on in custom.smokeTest.monitoring (routeLine, or directHeartbeat for a handler that takes a scheduled event; heartbeat not false) and deploy, or deploy this version of the service; status judges a stage by its heartbeat`,
    );
  }
  return {
    heartbeatAlarm: outputs.HeartbeatAlarmName,
    failureAlarm: outputs.FailureAlarmName,
    logGroupName: outputs.HealthLogGroupName as string,
    routeAlarm: outputs.RouteHeartbeatAlarmName,
  };
}

/** The lines the stack's stored contract and monitoring name (undefined: it stores none). */
async function stageWatchedLines(request: StatusRequest, stack: string) {
  const clients = request.clients ?? sharedClients;
  const gate = await (request.limit ?? unlimited)(() =>
    describeStackGate(clients.cloudFormation(request.aws), stack, request.deadline, {
      region: request.aws.region,
      profile: request.aws.profile,
    }),
  );
  return storedWatchedLines(stack, gate);
}

/** The states of the stage's alarms (a missing one is MISSING), within the deadline. */
async function alarmStates(
  request: StatusRequest,
  names: Awaited<ReturnType<typeof stageOutputs>>,
): Promise<AlarmStatus[]> {
  const { heartbeatAlarm, failureAlarm, routeAlarm } = names;
  let alarms: MetricAlarm[];
  try {
    const answer = await (request.limit ?? unlimited)(() =>
      callAws<DescribeAlarmsCommandOutput>(
        cloudWatchClientFor(request.aws),
        new DescribeAlarmsCommand({
          AlarmNames: [heartbeatAlarm, failureAlarm, routeAlarm].filter(
            (name) => name !== undefined,
          ),
        }),
        {
          what: 'CloudWatch alarms',
          deadline: request.deadline,
          needs: 'cloudwatch:DescribeAlarms on the stage’s alarms',
          region: request.aws.region,
          profile: request.aws.profile,
        },
      ),
    );
    alarms = answer.MetricAlarms ?? [];
  } catch (error) {
    if (!(error instanceof AwsRetryableError)) throw error;
    throw new CouldNotJudgeError(`${error.message} (${error.kind}); status could not be read`);
  }
  const byName = (name: string) => alarms.find((alarm) => alarm.AlarmName === name);
  return [
    ...(heartbeatAlarm ? [alarmStatus('heartbeat', heartbeatAlarm, byName(heartbeatAlarm))] : []),
    ...(routeAlarm ? [alarmStatus('route', routeAlarm, byName(routeAlarm))] : []),
    ...(failureAlarm ? [alarmStatus('failure', failureAlarm, byName(failureAlarm))] : []),
  ];
}

/**
 * Reads a stage's continuous health: the heartbeat and failure alarms' states and the age of the
 * last heartbeat line, all under the request's deadline, then judges it (judgeHealth).
 * Configuration problems are thrown as CouldNotJudgeError (exit 2).
 */
export async function checkStatus(request: StatusRequest): Promise<StatusReport> {
  const now = request.now ?? Date.now;
  const started = now();
  const staleAfterMs = request.staleAfterMs ?? STATUS_DEFAULTS.staleAfterMinutes * 60_000;
  const stack = stackName(request.service, request.stage);
  await checkCallDestination(request.aws, request.env);
  const names = await stageOutputs(request, stack);
  const alarms = await alarmStates(request, names);
  const watched = await stageWatchedLines(request, stack);
  const lines: SmokeLines =
    watched === undefined
      ? { lineTimes: [], failureTimes: [], lagsMs: [] }
      : await readSmokeLines(request, names.logGroupName, watched, {
          startTime: now() - Math.max(HISTORY_HOURS * HOUR_MS, 2 * staleAfterMs),
          // The window that decides staleness is read first.
          recentFrom: now() - 2 * staleAfterMs,
        });
  const perHour = (times: number[]) =>
    bucketCounts(times, { now: now(), bucketMs: HOUR_MS, buckets: HISTORY_HOURS });
  const age = (timestamp: number | undefined) =>
    timestamp === undefined ? null : Math.max(now() - timestamp, 0);
  const ageMs = age(lines.direct?.timestamp);
  const routeAgeMs = age(lines.route?.timestamp);
  const live = await readLiveRecord(request);
  const health = judgeHealth({
    alarms,
    ageMs,
    routeAgeMs,
    staleAfterMs,
    hasRouteAlarm: names.routeAlarm !== undefined,
    logGroupName: names.logGroupName,
    linesKnown: watched !== undefined,
    live,
  });
  return {
    ok: health.status === 'healthy',
    status: health.status,
    stage: safeText(request.stage),
    stack,
    live,
    alarms,
    heartbeat: {
      found: lines.direct !== undefined,
      timestamp: iso(lines.direct?.timestamp),
      ageMs,
      staleAfterMs,
    },
    routeHeartbeat: {
      found: lines.route !== undefined,
      timestamp: iso(lines.route?.timestamp),
      ageMs: routeAgeMs,
      trigger: lines.route?.trigger ?? null,
    },
    broken: health.broken,
    history: {
      hours: HISTORY_HOURS,
      lines: perHour(lines.lineTimes),
      failures: perHour(lines.failureTimes),
      lagMs: {
        p50: percentile(lines.lagsMs, 50),
        p95: percentile(lines.lagsMs, 95),
        samples: lines.lagsMs.length,
      },
    },
    elapsedMs: now() - started,
    hints: health.hints,
  };
}
