import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { AwsRetryableError, callAws } from '../aws/aws-call.ts';
import type { BudgetSlot, LogCallBudget } from '../aws/log-call-budget.ts';
import { type Deadline, sleep as realSleep, type Sleep } from '../core/deadline.ts';
import { VERIFY_DEFAULTS } from '../core/defaults.ts';
import { DeadlineError } from '../core/errors.ts';
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
}

/** The outcome of one FilterLogEvents call: a page, or why it is worth trying again. */
export type FilterCall =
  | { page: FilterLogEventsCommandOutput }
  | { retry: 'throttled' | 'transient'; error: string };

/**
 * One FilterLogEvents call the verifier's way: aborted at the deadline; an error the user must
 * fix is thrown as a CouldNotJudgeError naming `what`; throttling and transient failures (network,
 * 5xx, unparseable answers) come back, cut and escaped, for the caller's own pacing to retry.
 */
export async function filterLogEventsOnce(
  client: CloudWatchLogsClient,
  input: FilterLogEventsCommandInput,
  context: {
    what: string;
    deadline: Deadline;
    region?: string | undefined;
    profile?: string | undefined;
    /** Called when the call has ended, answered or not (the region's budget counts from then). */
    onSettled?: (() => void) | undefined;
  },
): Promise<FilterCall> {
  try {
    const page = await callAws<FilterLogEventsCommandOutput>(
      client,
      new FilterLogEventsCommand(input),
      {
        what: context.what,
        deadline: context.deadline,
        region: context.region,
        profile: context.profile,
      },
    );
    return { page };
  } catch (error) {
    // A call our own deadline cut says nothing about the service: the search ends by its deadline.
    if (error instanceof DeadlineError) return { retry: 'transient', error: 'cut by the deadline' };
    if (!(error instanceof AwsRetryableError)) throw error;
    return { retry: error.kind, error: error.detail };
  } finally {
    context.onSettled?.();
  }
}

/** Paces one run's FilterLogEvents calls: at least `minIntervalMs` apart, longer after throttling. */
export interface LogCallPacer {
  /** Waits for the next call's turn; false (without waiting) when that turn is past `deadline`. */
  next(deadline: number): Promise<boolean>;
  /** The last call was throttled: back off, doubling up to VERIFY_DEFAULTS' cap. */
  throttled(): void;
  /** The last call was answered: back to the normal pace. */
  answered(): void;
  /** The granted call has ended, answered or not (see LogCallBudget). */
  settled(): void;
}

/**
 * The one pacing rule of the verifier and `status`. With a region's budget (many targets), a
 * call also waits for a slot in that budget, and throttling pauses the region, not the target.
 */
export function createLogCallPacer(options: {
  minIntervalMs?: number | undefined;
  budget?: LogCallBudget | undefined;
  sleep?: Sleep | undefined;
  now?: (() => number) | undefined;
}): LogCallPacer {
  const budget = options.budget;
  const minIntervalMs = options.minIntervalMs ?? VERIFY_DEFAULTS.logCallIntervalMs;
  const [firstBackoff, maxBackoff] = VERIFY_DEFAULTS.throttleBackoffMs;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  let lastCall = Number.NEGATIVE_INFINITY;
  let backoffMs = 0;
  let slot: BudgetSlot | undefined;
  return {
    async next(deadline) {
      const wait = Math.max(lastCall + Math.max(minIntervalMs, backoffMs) - now(), 0);
      if (now() + wait >= deadline) return false;
      if (wait > 0) await sleep(wait);
      if (budget !== undefined) {
        slot = await budget.take(deadline);
        if (slot === undefined) return false;
      }
      lastCall = now();
      return true;
    },
    throttled() {
      if (budget !== undefined) return budget.throttled();
      backoffMs = Math.min(Math.max(backoffMs * 2, firstBackoff), maxBackoff);
    },
    answered() {
      budget?.answered();
      backoffMs = 0;
    },
    settled() {
      slot?.settled();
      slot = undefined;
    },
  };
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
        if (verdict.match) {
          return result({
            line: verdict.line,
            requestId: verdict.requestId,
            logStreamName: event.logStreamName,
            timestamp: event.timestamp,
            ingestionTime: event.ingestionTime,
          });
        }
        rejected.add(verdict.reason);
      }
      // No token: this scan is complete; the next poll starts over to see newly ingested lines.
      nextToken = page.nextToken;
    }
    return result(undefined);
  };

  return { description, findSmokeLine };
}
