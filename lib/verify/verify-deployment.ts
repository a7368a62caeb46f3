import { randomUUID } from 'node:crypto';
import { ConfigurationError } from './errors.ts';
import { checkEndpoint } from './check-endpoint.ts';
import type { LogSearchResult, LogSource, Sleep } from './log-source.ts';

/** Lines are searched from this long before the request, so a skewed local clock loses none. */
export const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;

/** The verdict of one verification, as printed by --json. */
export interface VerifyReport {
  ok: boolean;
  correlationId: string;
  url: string;
  logSource: string;
  http: {
    ok: boolean;
    status: number | null;
    latencyMs: number | null;
    attempts: number;
    problems: string[];
  };
  log: {
    found: boolean;
    logStreamName: string | null;
    ingestionDelayMs: number | null;
    functionRequestId: string | null;
    polls: number;
    rejected: string[];
    problems: string[];
  };
  elapsedMs: number;
  hints: string[];
}

/** Options for {@link verifyDeployment}. */
export interface VerifyOptions {
  url: string;
  logSource: LogSource;
  timeoutMs: number;
  correlationId?: string;
  fetch?: typeof globalThis.fetch;
  sleep?: Sleep;
  now?: () => number;
  attemptTimeoutMs?: number;
  onProgress?: (phase: 'http' | 'logs', detail: string) => void;
}

/** A fresh correlation id that the function accepts and no other request shares. */
export const newCorrelationId = (): string => `smoke-${randomUUID()}`;

const hintsFor = (report: Omit<VerifyReport, 'hints' | 'ok'>): string[] => {
  const hints: string[] = [];
  if (!report.http.ok && report.http.status === null) {
    hints.push('Is the URL right (--url or the stack output), and is the API reachable from here?');
  }
  if (report.http.status === 404) {
    hints.push('404: the route path or stage in the URL does not match the deployed API.');
  }
  if (report.http.ok && !report.log.found) {
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

/**
 * Proves route → Lambda → log line: calls the route with a fresh correlation id, then waits for
 * the function's structured line with that id in the log source, all within one deadline.
 * Configuration errors (credentials, permissions, missing log group) are thrown.
 */
export async function verifyDeployment(options: VerifyOptions): Promise<VerifyReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + options.timeoutMs;
  const correlationId = options.correlationId ?? newCorrelationId();

  options.onProgress?.('http', `GET ${options.url}`);
  const http = await checkEndpoint({
    url: options.url,
    correlationId,
    deadline,
    fetch: options.fetch,
    sleep: options.sleep,
    now,
    attemptTimeoutMs: options.attemptTimeoutMs,
    onAttempt: (attempt, outcome) => options.onProgress?.('http', `attempt ${attempt}: ${outcome}`),
  });

  let search: LogSearchResult = { match: undefined, polls: 0, rejected: [] };
  const logProblems: string[] = [];
  // An answer means the function may have run; look for its line even if the body was off.
  if (http.status !== undefined && http.status < 500) {
    try {
      search = await options.logSource.findSmokeLine({
        correlationId,
        startTime: http.requestTime - CLOCK_SKEW_MARGIN_MS,
        deadline,
        onPoll: (polls) => options.onProgress?.('logs', `${polls} poll(s)`),
      });
    } catch (error) {
      // Credentials, permissions, missing group: the caller's to fix (exit 2).
      if (error instanceof ConfigurationError) throw error;
      logProblems.push(
        `log search failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const match = search.match;
  if (match === undefined && logProblems.length === 0) {
    logProblems.push(
      http.status === undefined || http.status >= 500
        ? 'not searched: the route never answered'
        : `no smoke-test line with correlation_id "${correlationId}" in ${options.logSource.description} within the deadline`,
    );
  }
  const base = {
    correlationId,
    url: options.url,
    logSource: options.logSource.description,
    http: {
      ok: http.ok,
      status: http.status ?? null,
      latencyMs: http.latencyMs ?? null,
      attempts: http.attempts,
      problems: http.problems,
    },
    log: {
      found: match !== undefined,
      logStreamName: match?.logStreamName ?? null,
      ingestionDelayMs:
        match?.ingestionTime !== undefined && match.timestamp !== undefined
          ? match.ingestionTime - match.timestamp
          : null,
      functionRequestId:
        typeof match?.line.function_request_id === 'string' ? match.line.function_request_id : null,
      polls: search.polls,
      rejected: search.rejected,
      problems: logProblems,
    },
    elapsedMs: now() - started,
  };
  return {
    ok: http.ok && match !== undefined,
    ...base,
    hints: hintsFor(base),
  };
}
