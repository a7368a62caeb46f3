import { type AwsClients, type AwsSettings, sharedClients } from '../aws/aws-clients.ts';
import type { LogCallBudget } from '../aws/log-call-budget.ts';
import { createLogCallPacer, filterLogEventsOnce } from '../aws/log-reads.ts';
import { readStored } from '../aws/stack-outputs.ts';
import type { ContractValue, LogLineContract } from '../core/contract.ts';
import { readContract, section } from '../core/contract-config.ts';
import type { Deadline, Sleep } from '../core/deadline.ts';
import { STATUS_DEFAULTS } from '../core/defaults.ts';
import { DeadlineError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';
import { readFailureLine, readRouteLine } from '../core/watched-lines.ts';
import { keyProblems, lineOf } from '../verification/contract-check.ts';

/** The lines a stage writes, as its stack's stored contract and monitoring name them. */
export interface WatchedLines {
  /** The smoke line (the contract's logLine): its exact keys, required keys and formats. */
  smoke: Pick<LogLineContract, 'json' | 'required' | 'formats'>;
  /** Lines that came through the route: `key` holds one of `values`. */
  route?: { key: string; values: string[] } | undefined;
  /** The failure line's exact keys, when the service writes one. */
  failure?: Record<string, ContractValue> | undefined;
  /** Whether a schedule invokes the function directly; without one, any smoke line is its beat. */
  directHeartbeat?: boolean | undefined;
}

/**
 * The watched lines a stack's stored gate metadata names (Metadata.SmokeGate: the contract's line,
 * and with monitoring its route and failure lines); undefined when it stores no contract.
 */
export function storedWatchedLines(
  stack: string,
  gate: Record<string, unknown> | undefined,
): WatchedLines | undefined {
  if (gate?.Contract === undefined) return undefined;
  const { logLine } = readStored(stack, 'smoke-test contract', () => readContract(gate.Contract));
  const stored = readStored(stack, 'watched lines', () => section(gate.WatchedLines, 'lines'));
  const route = readStored(stack, 'route line', () => readRouteLine(stored.routeLine));
  return {
    smoke: logLine,
    route: route === undefined ? undefined : { key: route.key, values: route.values },
    failure: readStored(stack, 'failure line', () => readFailureLine(stored.failureLine)),
    directHeartbeat: stored.directHeartbeat !== false,
  };
}

/** What `status` reads from a stage's lines over its history window. */
export interface SmokeLines {
  /**
   * The newest smoke line that did not come through the route (the direct heartbeat's); for a
   * stage without a direct heartbeat, the newest smoke line of any kind.
   */
  direct?: { timestamp: number };
  /** The newest line that came through the route, and its route key's value. */
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
        // The term only narrows; each line is judged here, in the formats the contract names.
        { logGroupName, startTime, endTime, filterPattern: term, nextToken },
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

/**
 * The server-side filter for lines holding `pairs`: the first text value CloudWatch can quote, or
 * every event when there is none (each is judged here either way).
 */
export function narrowingTerm(pairs: Record<string, ContractValue>): string {
  const term = Object.values(pairs).find(
    (value): value is string => typeof value === 'string' && /^[^"\\\p{Cc}]{1,200}$/u.test(value),
  );
  return term === undefined ? '' : `"${term}"`;
}

/** When an event was written: CloudWatch's timestamp, else the line's own. */
function timeOf(event: { timestamp?: number }, line: Record<string, unknown>): number {
  return event.timestamp ?? Date.parse(String(line.timestamp));
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
  watched: WatchedLines,
  window: { startTime: number; recentFrom?: number },
): Promise<SmokeLines> {
  const { startTime } = window;
  const recentFrom = window.recentFrom ?? startTime;
  const split = Math.min(Math.max(recentFrom, startTime), request.now?.() ?? Date.now());
  const windows: Window[] =
    split > startTime ? [{ startTime: split }, { startTime, endTime: split - 1 }] : [{ startTime }];
  const found: SmokeLines = { lineTimes: [], failureTimes: [], lagsMs: [] };
  const lags: { timestamp: number; lag: number }[] = [];
  const { smoke, route, failure } = watched;
  await scan(request, logGroupName, windows, narrowingTerm(smoke.json), (event) => {
    const line = lineOf(event.message ?? '', smoke.formats);
    if (line === undefined || keyProblems(line, smoke.json, smoke.required, 'line').length > 0)
      return;
    const timestamp = timeOf(event, line);
    if (!Number.isFinite(timestamp)) return;
    found.lineTimes.push(timestamp);
    if (event.ingestionTime !== undefined)
      lags.push({ timestamp, lag: event.ingestionTime - timestamp });
    const via = route === undefined ? undefined : line[route.key];
    const throughRoute = typeof via === 'string' && route?.values.includes(via) === true;
    if (throughRoute && timestamp > (found.route?.timestamp ?? -1))
      found.route = { timestamp, trigger: via as string };
    const direct = !throughRoute || watched.directHeartbeat === false;
    if (direct && timestamp > (found.direct?.timestamp ?? -1)) found.direct = { timestamp };
  });
  if (failure !== undefined) {
    await scan(request, logGroupName, windows, narrowingTerm(failure), (event) => {
      const line = lineOf(event.message ?? '', smoke.formats);
      if (line === undefined || keyProblems(line, failure, [], 'line').length > 0) return;
      const timestamp = timeOf(event, line);
      if (Number.isFinite(timestamp)) found.failureTimes.push(timestamp);
    });
  }
  found.lagsMs = lags
    .sort((a, b) => b.timestamp - a.timestamp)
    .slice(0, LAG_SAMPLE)
    .map((sample) => Math.max(sample.lag, 0));
  return found;
}
