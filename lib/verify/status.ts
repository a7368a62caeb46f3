import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { SMOKE_LOG_EVENT } from '../contract.ts';
import {
  type AwsSettings,
  checkRegion,
  createCloudFormationClient,
  createCloudWatchClient,
  createLogsClient,
} from './aws-clients.ts';
import { awsConfigurationError } from './aws-errors.ts';
import { createLogCallPacer, filterLogEventsOnce } from './cloudwatch-log-source.ts';
import type { Deadline, Sleep } from './deadline.ts';
import { VERIFY_DEFAULTS } from './defaults.ts';
import { ConfigurationError, DeadlineError } from './errors.ts';
import { safeText } from './safe-text.ts';
import { describeStackOutputs, stackName } from './targets.ts';

/** One alarm's state, as `status` reports it. */
export interface AlarmStatus {
  role: 'heartbeat' | 'failure';
  name: string;
  state: string;
  since: string | null;
  reason: string | null;
}

/** A stage's continuous health, as printed by `status --json`. */
export interface StatusReport {
  ok: boolean;
  status: 'healthy' | 'alarming' | 'stale';
  stage: string;
  stack: string;
  alarms: AlarmStatus[];
  heartbeat: {
    found: boolean;
    timestamp: string | null;
    ageMs: number | null;
    rule: string | null;
    staleAfterMs: number;
  };
  elapsedMs: number;
  hints: string[];
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
}

/** The newest heartbeat line (trigger "schedule") in the log group since `startTime`. */
async function lastHeartbeat(
  request: StatusRequest,
  logGroupName: string,
  startTime: number,
): Promise<{ timestamp: number; rule: string | null } | undefined> {
  const logs = createLogsClient(request.aws);
  const pacer = createLogCallPacer({ sleep: request.sleep, now: request.now });
  let newest: { timestamp: number; rule: string | null } | undefined;
  let nextToken: string | undefined;
  let pages = 0;
  while (pages < VERIFY_DEFAULTS.statusMaxPages) {
    if (!(await pacer.next(request.deadline.at))) {
      throw new DeadlineError(
        'reading the heartbeat lines did not finish before the deadline (--timeout)',
      );
    }
    const call = await filterLogEventsOnce(
      logs,
      {
        logGroupName,
        startTime,
        // A quoted term narrows; each line is judged here (trigger and event as JSON keys).
        filterPattern: `"${SMOKE_LOG_EVENT}"`,
        nextToken,
      },
      {
        what: `CloudWatch Logs group ${safeText(logGroupName)}`,
        deadline: request.deadline.at,
        region: request.aws.region,
        profile: request.aws.profile,
        now: request.now,
      },
    );
    if ('retry' in call) {
      if (call.retry === 'throttled') pacer.throttled();
      continue;
    }
    pacer.answered();
    const page = call.page;
    pages++;
    for (const event of page.events ?? []) {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(event.message ?? '') as Record<string, unknown>;
      } catch {
        continue;
      }
      if (line?.event !== SMOKE_LOG_EVENT || line.trigger !== 'schedule') continue;
      const timestamp = event.timestamp ?? Date.parse(String(line.timestamp));
      if (Number.isFinite(timestamp) && (newest === undefined || timestamp > newest.timestamp)) {
        newest = {
          timestamp,
          rule: typeof line.schedule_rule === 'string' ? safeText(line.schedule_rule) : null,
        };
      }
    }
    nextToken = page.nextToken;
    if (nextToken === undefined) break;
  }
  return newest;
}

const alarmStatus = (role: AlarmStatus['role'], name: string, alarm: MetricAlarm | undefined) => ({
  role,
  name: safeText(name),
  state: alarm?.StateValue ?? 'MISSING',
  since: alarm?.StateUpdatedTimestamp?.toISOString() ?? null,
  reason: alarm?.StateReason === undefined ? null : safeText(alarm.StateReason),
});

/**
 * Reads a stage's continuous health: the heartbeat and failure alarms' states and the age of the
 * last heartbeat line, all under the request's deadline. Configuration problems are thrown as
 * ConfigurationError (exit 2).
 */
export async function checkStatus(request: StatusRequest): Promise<StatusReport> {
  const now = request.now ?? Date.now;
  const started = now();
  const staleAfterMs = request.staleAfterMs ?? VERIFY_DEFAULTS.staleAfterMinutes * 60_000;
  const stack = stackName(request.service, request.stage);
  const context = { region: request.aws.region, profile: request.aws.profile };
  await checkRegion(request.aws, request.env);
  const outputs = await describeStackOutputs(
    createCloudFormationClient(request.aws),
    stack,
    request.deadline,
    context,
  );
  const heartbeatAlarm = outputs.HeartbeatAlarmName;
  const failureAlarm = outputs.FailureAlarmName;
  const logGroupName = outputs.HealthLogGroupName;
  if (heartbeatAlarm === undefined || failureAlarm === undefined || logGroupName === undefined) {
    throw new ConfigurationError(
      `stack ${stack} has no HeartbeatAlarmName / FailureAlarmName / HealthLogGroupName outputs: deploy this version first`,
    );
  }
  let alarms: MetricAlarm[];
  try {
    const answer = await request.deadline.race(
      createCloudWatchClient(request.aws).send(
        new DescribeAlarmsCommand({ AlarmNames: [heartbeatAlarm, failureAlarm] }),
        { abortSignal: request.deadline.signal() },
      ),
      'reading the alarms',
    );
    alarms = answer.MetricAlarms ?? [];
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw awsConfigurationError(error, { what: 'CloudWatch alarms', ...context });
  }
  const byName = (name: string) => alarms.find((alarm) => alarm.AlarmName === name);
  const alarmStates = [
    alarmStatus('heartbeat', heartbeatAlarm, byName(heartbeatAlarm)),
    alarmStatus('failure', failureAlarm, byName(failureAlarm)),
  ];
  const heartbeat = await lastHeartbeat(request, logGroupName, now() - 2 * staleAfterMs);
  const ageMs = heartbeat === undefined ? null : Math.max(now() - heartbeat.timestamp, 0);
  const stale = ageMs === null || ageMs > staleAfterMs;
  const alarming = alarmStates.some((alarm) => alarm.state === 'ALARM');
  const hints: string[] = [];
  for (const alarm of alarmStates) {
    if (alarm.state === 'MISSING')
      hints.push(`alarm ${alarm.name} does not exist: redeploy the stack.`);
    if (alarm.state === 'ALARM') hints.push(`alarm ${alarm.name}: ${alarm.reason ?? 'in ALARM'}`);
  }
  if (stale) {
    hints.push(
      `no heartbeat line in ${logGroupName} for ${Math.round(staleAfterMs / 60_000)} min: check the schedule (heartbeatEnabled), the function's log permissions and level, and the log group.`,
    );
  }
  const missing = alarmStates.some((alarm) => alarm.state === 'MISSING');
  const status = alarming || missing ? 'alarming' : stale ? 'stale' : 'healthy';
  return {
    ok: status === 'healthy',
    status,
    stage: safeText(request.stage),
    stack,
    alarms: alarmStates,
    heartbeat: {
      found: heartbeat !== undefined,
      timestamp: heartbeat === undefined ? null : new Date(heartbeat.timestamp).toISOString(),
      ageMs,
      rule: heartbeat?.rule ?? null,
      staleAfterMs,
    },
    elapsedMs: now() - started,
    hints,
  };
}
