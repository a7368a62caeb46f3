import { type AwsClients, type AwsSettings, sharedClients } from '../aws/aws-clients.ts';
import type { LogCallBudget } from '../aws/log-call-budget.ts';
import { createLogCallPacer, filterLogEventsOnce } from '../aws/log-reads.ts';
import type { Deadline, Sleep } from '../core/deadline.ts';
import { STATUS_DEFAULTS } from '../core/defaults.ts';
import { DeadlineError } from '../core/errors.ts';
import { parseJsonObject } from '../core/json.ts';
import { safeText } from '../core/safe-text.ts';

/**
 * The line names `status` reads the heartbeats by: the PetSage line's `event` values and its
 * `trigger` key. A service whose line does not carry them still gets its alarms and its gate
 * record from `status`; the heartbeat rows then say no line was seen.
 */
const SMOKE_LOG_EVENT = 'smoke_test_executed';
const SMOKE_FAILED_LOG_EVENT = 'smoke_test_failed';

/** What `status` reads from a stage's lines over its history window. */
export interface SmokeLines {
  /** The newest direct heartbeat line (trigger "schedule"). */
  direct?: { timestamp: number; rule: string | null };
  /** The newest line that came through the route (route heartbeat or any route call). */
  route?: { timestamp: number; trigger: string };
  /** When each smoke line and each failure line was written. */
  lineTimes: number[];
  failureTimes: number[];
  /** CloudWatch's ingestion lag of the most recent lines (ingestion time minus event time). */
  lagsMs: number[];
}

/** Where and under which deadline to read, with the clock and sleep tests inject. */
interface LinesRequest {
  aws: AwsSettings;
  deadline: Deadline;
  /** Many targets: the region's CloudWatch Logs budget, shared with the other targets there. */
  budget?: LogCallBudget | undefined;
  clients?: AwsClients | undefined;
  now?: (() => number) | undefined;
  sleep?: Sleep | undefined;
}

/** A time window to read, `endTime` included when set (else up to now). */
interface Window {
  startTime: number;
  endTime?: number | undefined;
}

/**
 * Every event of one quoted term in each window in turn, paced and paged, reading at most
 * STATUS_DEFAULTS.statusMaxPages pages over all the windows.
 */
async function scan(
  request: LinesRequest,
  logGroupName: string,
  windows: Window[],
  term: string,
  onEvent: (event: { message?: string; timestamp?: number; ingestionTime?: number }) => void,
): Promise<void> {
  const logs = (request.clients ?? sharedClients).logs(request.aws);
  const pacer = createLogCallPacer({
    budget: request.budget,
    sleep: request.sleep,
    now: request.now,
  });
  let pages = 0;
  for (const { startTime, endTime } of windows) {
    let nextToken: string | undefined;
    while (pages < STATUS_DEFAULTS.statusMaxPages) {
      if (!(await pacer.next(request.deadline.at))) {
        throw new DeadlineError(
          'reading the smoke lines did not finish before the deadline (--timeout)',
        );
      }
      const call = await filterLogEventsOnce(
        logs,
        // A quoted term narrows; each line is judged here (trigger and event as JSON keys).
        { logGroupName, startTime, endTime, filterPattern: `"${term}"`, nextToken },
        {
          what: `CloudWatch Logs group ${safeText(logGroupName)}`,
          deadline: request.deadline,
          region: request.aws.region,
          profile: request.aws.profile,
          onSettled: pacer.settled,
        },
      );
      if ('retry' in call) {
        if (call.retry === 'throttled') pacer.throttled();
        continue;
      }
      pacer.answered();
      pages++;
      for (const event of call.page.events ?? []) onEvent(event);
      nextToken = call.page.nextToken;
      if (nextToken === undefined) break;
    }
  }
}

/** How many recent lines the lag figures are taken from. */
const LAG_SAMPLE = 50;

/**
 * Reads a stage's smoke and failure lines since `startTime`: the newest line of each heartbeat,
 * when every line was written (for the hourly chart), and the ingestion lag of recent lines.
 * CloudWatch Logs pages oldest first, so the lines since `recentFrom` are read first: under
 * steady traffic the page cap then cuts the chart's oldest hours, never the newest heartbeat.
 */
export async function readSmokeLines(
  request: LinesRequest,
  logGroupName: string,
  startTime: number,
  recentFrom: number = startTime,
): Promise<SmokeLines> {
  const split = Math.min(Math.max(recentFrom, startTime), request.now?.() ?? Date.now());
  const windows: Window[] =
    split > startTime ? [{ startTime: split }, { startTime, endTime: split - 1 }] : [{ startTime }];
  const found: SmokeLines = { lineTimes: [], failureTimes: [], lagsMs: [] };
  const lags: { timestamp: number; lag: number }[] = [];
  await scan(request, logGroupName, windows, SMOKE_LOG_EVENT, (event) => {
    const line = parseJsonObject(event.message);
    if (line?.event !== SMOKE_LOG_EVENT) return;
    const timestamp = event.timestamp ?? Date.parse(String(line.timestamp));
    if (!Number.isFinite(timestamp)) return;
    found.lineTimes.push(timestamp);
    if (event.ingestionTime !== undefined)
      lags.push({ timestamp, lag: event.ingestionTime - timestamp });
    if (line.trigger === 'schedule' && timestamp > (found.direct?.timestamp ?? -1)) {
      const rule = typeof line.schedule_rule === 'string' ? safeText(line.schedule_rule) : null;
      found.direct = { timestamp, rule };
    }
    if (
      (line.trigger === 'route-heartbeat' || line.trigger === 'http') &&
      timestamp > (found.route?.timestamp ?? -1)
    ) {
      found.route = { timestamp, trigger: line.trigger };
    }
  });
  await scan(request, logGroupName, windows, SMOKE_FAILED_LOG_EVENT, (event) => {
    const line = parseJsonObject(event.message);
    const timestamp = event.timestamp ?? Number.NaN;
    if (line?.event === SMOKE_FAILED_LOG_EVENT && Number.isFinite(timestamp)) {
      found.failureTimes.push(timestamp);
    }
  });
  found.lagsMs = lags
    .sort((a, b) => b.timestamp - a.timestamp)
    .slice(0, LAG_SAMPLE)
    .map((sample) => Math.max(sample.lag, 0));
  return found;
}
