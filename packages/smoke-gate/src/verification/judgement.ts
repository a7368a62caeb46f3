import type { Verdict } from '../core/verdicts.ts';
import type { HttpCheckResult } from './check-endpoint.ts';
import type { LogSearchResult } from './log-source.ts';

/**
 * The verdict rule: verified when the route answered the contract and the line arrived; could
 * not judge when every route answer was 429, or the log service could not be searched to the
 * end; else failed.
 */
export function verdictOf(
  http: HttpCheckResult,
  search: LogSearchResult,
): { verdict: Verdict; routeThrottled: boolean } {
  const routeThrottled = !http.answered && http.throttledOnly;
  const verdict: Verdict =
    search.match !== undefined && http.ok
      ? 'verified'
      : routeThrottled || (http.ok && !search.serviceAnswered)
        ? 'inconclusive'
        : 'failed';
  return { verdict, routeThrottled };
}

/** Why the log step did not find the line, in one line (none when it did). */
export function logProblemsOf(
  http: HttpCheckResult,
  search: LogSearchResult,
  verdict: Verdict,
  source: { description: string; correlationId: string },
): string[] {
  if (!http.ok) {
    return [
      http.answered
        ? 'not searched: the route answered wrongly, so the verdict is already FAIL'
        : verdict === 'inconclusive'
          ? 'not searched: the route was throttled (HTTP 429) to the end'
          : http.status !== undefined
            ? 'not searched: the route answered only with errors to the end'
            : 'not searched: the route never answered',
    ];
  }
  if (search.match !== undefined) return [];
  return [
    verdict === 'inconclusive' && search.polls === 0
      ? `no call to ${source.description} before the deadline: the budget never reached it`
      : verdict === 'inconclusive'
        ? `could not search ${source.description} to the end: ${search.throttled > 0 ? `throttled ${search.throttled} time(s)` : 'no answer'}${search.lastError === undefined ? '' : ` (last error ${search.lastError})`}`
        : `no smoke-test line with correlation_id "${source.correlationId}" in ${source.description} within the deadline`,
  ];
}
