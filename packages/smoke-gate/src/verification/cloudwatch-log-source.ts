import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LogCallBudget } from '../aws/log-call-budget.ts';
import { createLogCallPacer, filterLogEventsOnce } from '../aws/log-reads.ts';
import type { Sleep } from '../core/deadline.ts';
import { VERIFY_DEFAULTS } from '../core/defaults.ts';
import { safeText } from '../core/safe-text.ts';
import { judgeLogMessage } from './contract-check.ts';
import type { LogSearch, LogSearchResult, LogSource } from './log-source.ts';
import { rejectionList } from './log-source.ts';

/** Options for {@link cloudWatchLogSource}. */
export interface CloudWatchSourceOptions {
  /** Best made by createLogsClient: one attempt per call, so this loop owns the pacing. */
  client: CloudWatchLogsClient;
  logGroupName: string;
  region?: string | undefined;
  profile?: string | undefined;
  /** Minimum gap between FilterLogEvents calls (default: at most 2 calls per second). */
  minIntervalMs?: number;
  /** Many targets: the region's budget, shared with every other target searched there. */
  budget?: LogCallBudget | undefined;
  sleep?: Sleep;
  now?: () => number;
  /** Only a line in this version's log stream (`[<version>]` in its name) counts. */
  streamVersion?: string | undefined;
}

/** Why a line with the id does not count for `version`, or undefined when it does. */
export function otherVersionBecause(
  logStreamName: string | undefined,
  version: string | undefined,
): string | undefined {
  if (version === undefined || logStreamName?.includes(`[${version}]`) === true) return undefined;
  return `a line with the id came from log stream ${safeText(logStreamName ?? '(none)', 120)}, not version ${version}'s`;
}

/**
 * CloudWatch Logs as a log source: FilterLogEvents with the correlation id as a quoted term,
 * following nextToken (pages can be empty and still carry one). Calls start at least
 * `minIntervalMs` apart; throttling backs off, network errors, 5xx and unparseable answers are
 * retried until the deadline; errors a user must fix end the search as a CouldNotJudgeError.
 */
export function cloudWatchLogSource(options: CloudWatchSourceOptions): LogSource {
  const now = options.now ?? Date.now;
  const description = `CloudWatch Logs group ${safeText(options.logGroupName)}`;

  const findSmokeLine = async (search: LogSearch): Promise<LogSearchResult> => {
    const rejected = rejectionList(VERIFY_DEFAULTS.rejectedListCap);
    let polls = 0;
    let throttled = 0;
    let serviceAnswered = false;
    let lastError: string | undefined;
    let nextToken: string | undefined;
    const pacer = createLogCallPacer({ ...options, now });
    const result = (match: LogSearchResult['match']): LogSearchResult => ({
      match,
      polls,
      rejected: rejected.list(),
      throttled,
      serviceAnswered,
      lastError,
    });
    while (true) {
      if (!(await pacer.next(search.deadline.at))) break;
      polls++;
      const call = await filterLogEventsOnce(
        options.client,
        {
          logGroupName: options.logGroupName,
          startTime: search.startTime,
          // A quoted term: CloudWatch matches the exact string, punctuation included.
          filterPattern: `"${search.correlationId}"`,
          nextToken,
        },
        {
          what: description,
          deadline: search.deadline,
          region: options.region,
          profile: options.profile,
          onSettled: pacer.settled,
        },
      );
      search.onPoll?.(polls);
      if ('retry' in call) {
        // A call our own deadline cut short says nothing new about the service: the last answer
        // stands, so the verdict does not hang on how loaded this machine is at the very end.
        if (call.retry === 'transient' && search.deadline.remainingMs() === 0) break;
        serviceAnswered = false;
        lastError = call.error;
        if (call.retry === 'throttled') {
          throttled++;
          pacer.throttled();
        }
        continue;
      }
      const page = call.page;
      serviceAnswered = true;
      pacer.answered();
      for (const event of page.events ?? []) {
        const verdict = judgeLogMessage(event.message ?? '', search.correlationId, search.line);
        const otherVersion = otherVersionBecause(event.logStreamName, options.streamVersion);
        if (verdict.match && otherVersion !== undefined) {
          rejected.add(otherVersion);
        } else if (verdict.match) {
          return result({
            line: verdict.line,
            requestId: verdict.requestId,
            logStreamName: event.logStreamName,
            timestamp: event.timestamp,
            ingestionTime: event.ingestionTime,
          });
        } else {
          rejected.add(verdict.reason);
        }
      }
      // No token: this scan is complete; the next poll starts over to see newly ingested lines.
      nextToken = page.nextToken;
    }
    return result(undefined);
  };

  return { description, findSmokeLine };
}
