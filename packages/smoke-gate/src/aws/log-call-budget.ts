import { sleep as realSleep, type Sleep } from '../core/deadline.ts';
import { MANY_TARGETS_DEFAULTS, VERIFY_DEFAULTS } from '../core/defaults.ts';

/**
 * One region's CloudWatch Logs budget, shared by every target searched there: at most
 * `ratePerSecond` calls in any one second, first come first served, so a target that just
 * missed its line goes to the back of the queue (round robin). Throttling pauses this region
 * only.
 *
 * A call's second is counted from when it **ended** (answer or error), not from when it was
 * granted: the service saw it somewhere in between, so however late a request leaves this
 * process or crosses the network, the service never sees more than the rate in any second.
 * The price is one round trip per window.
 */
export interface LogCallBudget {
  /** Waits for this region's next call slot; undefined (taking none) when past `deadline`. */
  take(deadline: number): Promise<BudgetSlot | undefined>;
  /** A call here was throttled: the whole region pauses, doubling up to VERIFY_DEFAULTS' cap. */
  throttled(): void;
  /** A call here was answered: back to the normal pace. */
  answered(): void;
  /** Calls granted so far, and the most granted in any one window. */
  stats(): { granted: number; peakPerWindow: number };
}

/** A granted call slot: call `settled()` when the call has ended, answered or not. */
export interface BudgetSlot {
  settled(): void;
}

/** Options for {@link createLogCallBudget}. */
export interface LogCallBudgetOptions {
  ratePerSecond: number;
  /** The window the rate is counted over (default MANY_TARGETS_DEFAULTS.logBudgetWindowMs, 1 s). */
  windowMs?: number;
  now?: () => number;
  sleep?: Sleep;
}

/** Creates one region's budget (a sliding-window limiter with a FIFO queue). */
export function createLogCallBudget(options: LogCallBudgetOptions): LogCallBudget {
  const rate = options.ratePerSecond;
  const windowMs = options.windowMs ?? MANY_TARGETS_DEFAULTS.logBudgetWindowMs;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const [firstBackoff, maxBackoff] = VERIFY_DEFAULTS.throttleBackoffMs;
  /** The last `rate` calls, oldest first: when each ended (infinity while still in flight). */
  const calls: { endedAt: number }[] = [];
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let backoffMs = 0;
  let granted = 0;
  let peak = 0;
  /** When recent calls were granted, to report the most granted in any window. */
  const grants: number[] = [];
  let wake: () => void = () => undefined;
  // One waiter at a time, in arrival order: the queue is this promise chain.
  let queue: Promise<unknown> = Promise.resolve();

  const nextSlot = () => {
    const oldest = calls.length >= rate ? (calls[calls.length - rate]?.endedAt ?? 0) : 0;
    return Math.max(oldest + windowMs, pausedUntil, now());
  };

  /**
   * Waits for the next slot: sleeps until a known one (at most a second, or a throttle's
   * backoff), or, while the window's oldest call is still in flight, until it ends. Every call
   * ends by the deadline (its own abort), and a timer to the deadline, cleared on wake, bounds
   * the wait all the same.
   */
  const waitFor = (slot: number, deadline: number) =>
    new Promise<void>((resolve) => {
      if (Number.isFinite(slot)) {
        wake = resolve;
        void sleep(Math.max(slot - now(), 1)).then(resolve);
        return;
      }
      const bound = setTimeout(resolve, Math.max(deadline - now(), 1));
      wake = () => {
        clearTimeout(bound);
        resolve();
      };
    });

  const turn = async (deadline: number): Promise<BudgetSlot | undefined> => {
    for (let slot = nextSlot(); slot > now(); slot = nextSlot()) {
      if (slot >= deadline && Number.isFinite(slot)) return undefined;
      await waitFor(slot, deadline);
      if (now() >= deadline) return undefined;
    }
    const call = { endedAt: Number.POSITIVE_INFINITY };
    calls.push(call);
    if (calls.length > rate) calls.shift();
    granted++;
    const at = now();
    grants.push(at);
    while ((grants[0] ?? at) <= at - windowMs) grants.shift();
    peak = Math.max(peak, grants.length);
    return {
      settled() {
        if (Number.isFinite(call.endedAt)) return;
        call.endedAt = now();
        wake();
      },
    };
  };

  return {
    take(deadline) {
      const mine = queue.then(() => turn(deadline));
      queue = mine.catch(() => undefined);
      return mine;
    },
    throttled() {
      backoffMs = Math.min(Math.max(backoffMs * 2, firstBackoff), maxBackoff);
      pausedUntil = Math.max(pausedUntil, now() + backoffMs);
    },
    answered() {
      backoffMs = 0;
    },
    stats: () => ({ granted, peakPerWindow: peak }),
  };
}

/** The budgets of one run: one per region (and account, by profile and endpoint). */
export interface RegionBudgets {
  of(key: {
    region?: string | undefined;
    profile?: string | undefined;
    endpoint?: string | undefined;
    role?: { arn: string } | undefined;
    account?: string | null | undefined;
  }): LogCallBudget;
  /** Per account and region: calls granted and the most in one window. */
  stats(): { region: string; account: string | null; granted: number; peakPerWindow: number }[];
}

/** Creates a run's per-region budgets, each at `ratePerSecond`. */
export function createRegionBudgets(options: LogCallBudgetOptions): RegionBudgets {
  const budgets = new Map<
    string,
    { region: string; account: string | null; budget: LogCallBudget }
  >();
  return {
    of(key) {
      // By account when it is known (two roles in one account share it), else by credentials.
      const id =
        typeof key.account === 'string'
          ? JSON.stringify([key.region ?? '', 'account', key.account])
          : JSON.stringify([
              key.region ?? '',
              key.profile ?? '',
              key.endpoint ?? '',
              key.role?.arn,
            ]);
      let entry = budgets.get(id);
      if (entry === undefined) {
        entry = {
          region: key.region ?? '(default)',
          account: typeof key.account === 'string' ? key.account : null,
          budget: createLogCallBudget(options),
        };
        budgets.set(id, entry);
      }
      return entry.budget;
    },
    stats: () =>
      [...budgets.values()].map(({ region, account, budget }) => ({
        region,
        account,
        ...budget.stats(),
      })),
  };
}
