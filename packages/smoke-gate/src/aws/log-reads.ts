// One FilterLogEvents call and the pacing of such calls: the log reads the verifier's
// CloudWatch Logs source and `status` share.
import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { type Deadline, sleep as realSleep, type Sleep } from '../core/deadline.ts';
import { VERIFY_DEFAULTS } from '../core/defaults.ts';
import { DeadlineError } from '../core/errors.ts';
import { AwsRetryableError, callAws } from './aws-call.ts';
import type { BudgetSlot, LogCallBudget } from './log-call-budget.ts';

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
