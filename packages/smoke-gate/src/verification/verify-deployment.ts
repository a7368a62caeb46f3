import { randomUUID } from 'node:crypto';
import type { SmokeContract } from '../core/contract.ts';
import type { Deadline, Sleep } from '../core/deadline.ts';
import { VERIFY_DEFAULTS } from '../core/defaults.ts';
import { type Limit, unlimited } from '../core/limit.ts';
import { redactUrl, safeText } from '../core/safe-text.ts';
import type { Verdict } from '../core/verdicts.ts';
import { checkEndpoint, type HttpCheckResult } from './check-endpoint.ts';
import { logProblemsOf, verdictOf } from './judgement.ts';
import type { LogSearchResult, LogSource } from './log-source.ts';

/**
 * What a verification concluded. `failed` is a verdict on the deployment (the route answered
 * wrongly or not at all, or the line never arrived while the log service answered);
 * `inconclusive` means it could not be judged: the log service could not be asked (throttled or
 * unreachable to the end), or the route answered only 429 to the end (a throttle shared with
 * the public says nothing about the deployment, and must not be able to force a rollback).
 */
export type { Verdict } from '../core/verdicts.ts';

/** The outcome of one verification, as printed by --json. */
export interface VerifyReport {
  ok: boolean;
  verdict: Verdict;
  correlationId: string;
  /** The route's URL, query string redacted. */
  url: string;
  logSource: string;
  http: {
    ok: boolean;
    status: number | null;
    latencyMs: number | null;
    attempts: number;
    /** True when every answer of the route was 429 (throttled), until the deadline. */
    throttled: boolean;
    problems: string[];
  };
  log: {
    found: boolean;
    /** False when the route's answer already decided the verdict. */
    searched: boolean;
    logStreamName: string | null;
    /** CloudWatch's own figure: ingestion time minus the event's time, when the API gives both. */
    ingestionDelayMs: number | null;
    /** From the line's own timestamp to the moment the verifier found it (the lag a user waits). */
    foundAfterMs: number | null;
    /** How long the log search ran (found or not). */
    waitedMs: number;
    functionRequestId: string | null;
    polls: number;
    throttled: number;
    rejected: string[];
    problems: string[];
  };
  elapsedMs: number;
  hints: string[];
  /** What it judged by: the contract's source, or the defaults and what they check. */
  contract?: string | undefined;
}

/** Options for {@link verifyDeployment}. */
export interface VerifyOptions {
  url: string;
  logSource: LogSource;
  /** The run's one deadline. */
  deadline: Deadline;
  correlationId?: string;
  /** What the answer and the line must carry (the contract's defaults when undefined). */
  contract?: SmokeContract | undefined;
  /** How long a 404 is retried as a route still propagating (the deploy hook's grace). */
  notFoundGraceMs?: number;
  fetch?: typeof globalThis.fetch;
  sleep?: Sleep;
  now?: () => number;
  attemptTimeoutMs?: number;
  onProgress?: (phase: 'http' | 'logs', detail: string) => void;
  /** Many targets: the run's pool, which the route call waits for (the log search does not). */
  limit?: Limit | undefined;
}

/** A fresh correlation id that the function accepts and no other request shares. */
export const newCorrelationId = (): string => `smoke-${randomUUID()}`;

/** A report before its verdict and hints. */
export type ReportBody = Omit<VerifyReport, 'hints' | 'ok' | 'verdict'>;

/** What to check next, from what the route and the log search saw and the verdict. */
export const hintsFor = (report: ReportBody, verdict: Verdict): string[] => {
  const hints: string[] = [];
  if (!report.http.ok && report.http.status === null) {
    hints.push('Is the URL right (--url or the stack output), and is the API reachable from here?');
  }
  if (report.http.status === 404) {
    hints.push(
      '404: the route path or stage in the URL does not match the deployed API (serverless.yml healthPath, --path with --local).',
    );
  }
  if (report.http.status !== null && report.http.status >= 300 && report.http.status < 400) {
    hints.push('The route redirects; the verifier does not follow redirects. Use the final URL.');
  }
  if (verdict === 'inconclusive' && report.http.throttled) {
    hints.push(
      'The route answered 429 (throttled) until the deadline: its throttle is shared with the public, so this says nothing about the deployment, and nothing is rolled back. Retry when the traffic has passed, or with a longer --timeout.',
    );
  } else if (verdict === 'inconclusive' && report.log.polls === 0) {
    hints.push(
      "The log search never got a turn before the deadline (with many targets: the region's CloudWatch Logs budget, shared by every target there, did not reach this one). Give the run a longer --timeout, a higher --logs-rate (within the account's quota), or fewer targets per region.",
    );
  } else if (verdict === 'inconclusive') {
    hints.push(
      report.log.throttled > 0
        ? `CloudWatch Logs throttled ${report.log.throttled} of ${report.log.polls} call(s): the FilterLogEvents quota is shared by the account. Retry later or with a longer --timeout.`
        : 'The log service did not answer to the end; check the network path to CloudWatch Logs (--endpoint-url, proxies).',
    );
  } else if (report.http.ok && !report.log.found) {
    hints.push(
      `The route answered but no smoke-test line with this id reached ${report.logSource}.`,
      'Check the region (--region), the log group name (--log-group), that the function behind the route is this one, and its log level (POWERTOOLS_LOG_LEVEL above INFO hides the line).',
    );
    if (report.log.rejected.length > 0) {
      hints.push(`Lines mentioning the id were rejected: ${report.log.rejected.join('; ')}.`);
    }
  }
  return hints;
};

/** Lambda's request id of the call: from the line's format, else its `function_request_id`. */
const requestIdOf = (match: LogSearchResult['match']): string | null => {
  const id = match?.requestId ?? match?.line.function_request_id;
  return typeof id === 'string' ? safeText(id) : null;
};

/** From when the line was written (its event time, else its own `timestamp` key) to when found. */
const foundAfter = (
  match: LogSearchResult['match'],
  foundAt: number | undefined,
): number | null => {
  if (match === undefined || foundAt === undefined) return null;
  const written = match.timestamp ?? Date.parse(String(match.line.timestamp));
  return Number.isFinite(written) ? Math.max(foundAt - written, 0) : null;
};

const NOT_SEARCHED: LogSearchResult = {
  match: undefined,
  polls: 0,
  rejected: [],
  throttled: 0,
  serviceAnswered: true,
  lastError: undefined,
};

/** The log search after a good route answer: from the earlier of both clocks, timed. */
async function searchLine(
  options: VerifyOptions,
  http: HttpCheckResult,
  correlationId: string,
  now: () => number,
): Promise<{ search: LogSearchResult; waitedMs: number; foundAt: number | undefined }> {
  if (!http.ok) return { search: NOT_SEARCHED, waitedMs: 0, foundAt: undefined };
  const searchStarted = now();
  // The earlier of our clock and the route's: a local clock that runs ahead loses no line.
  const reference = Math.min(http.requestTime, http.serverTime ?? http.requestTime);
  const search = await options.logSource.findSmokeLine({
    correlationId,
    line: options.contract?.logLine,
    startTime: reference - VERIFY_DEFAULTS.clockSkewMarginMs,
    deadline: options.deadline,
    onPoll: (polls) => options.onProgress?.('logs', `${polls} poll(s)`),
  });
  const foundAt = now();
  return { search, waitedMs: foundAt - searchStarted, foundAt };
}

/**
 * Proves route → Lambda → log line: calls the route with a fresh correlation id, then waits for
 * the function's structured line with that id in the log source, all within one deadline. A
 * wrong final answer from the route ends the run at once. Configuration errors (credentials,
 * permissions, missing log group) are thrown as CouldNotJudgeError.
 */
export async function verifyDeployment(options: VerifyOptions): Promise<VerifyReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const correlationId = options.correlationId ?? newCorrelationId();
  const shownUrl = redactUrl(options.url);
  options.onProgress?.('http', `GET ${shownUrl}`);
  const http = await (options.limit ?? unlimited)(() =>
    checkEndpoint({
      url: options.url,
      correlationId,
      contract: options.contract,
      deadline: options.deadline,
      notFoundGraceMs: options.notFoundGraceMs,
      fetch: options.fetch,
      sleep: options.sleep,
      now,
      attemptTimeoutMs: options.attemptTimeoutMs,
      onAttempt: (attempt, outcome) =>
        options.onProgress?.('http', `attempt ${attempt}: ${outcome}`),
    }),
  );
  const { search, waitedMs, foundAt } = await searchLine(options, http, correlationId, now);
  const { verdict, routeThrottled } = verdictOf(http, search);
  const match = search.match;
  const description = options.logSource.description;
  const body: ReportBody = {
    correlationId,
    url: shownUrl,
    logSource: description,
    http: {
      ok: http.ok,
      status: http.status ?? null,
      latencyMs: http.latencyMs ?? null,
      attempts: http.attempts,
      throttled: routeThrottled,
      problems: http.problems,
    },
    log: {
      found: match !== undefined,
      searched: http.ok,
      logStreamName: match?.logStreamName === undefined ? null : safeText(match.logStreamName),
      ingestionDelayMs:
        match?.ingestionTime !== undefined && match.timestamp !== undefined
          ? match.ingestionTime - match.timestamp
          : null,
      foundAfterMs: foundAfter(match, foundAt),
      waitedMs,
      functionRequestId: requestIdOf(match),
      polls: search.polls,
      throttled: search.throttled,
      rejected: search.rejected,
      problems: logProblemsOf(http, search, verdict, { description, correlationId }),
    },
    elapsedMs: now() - started,
  };
  return { ok: verdict === 'verified', verdict, ...body, hints: hintsFor(body, verdict) };
}
