import { sleep as realSleep, type Sleep } from './deadline.ts';
import { VERIFY_DEFAULTS } from './defaults.ts';

/**
 * One region's CloudWatch Logs budget, shared by every target searched there: at most
 * `ratePerSecond` calls start in any one second, first come first served, so a target that just
 * missed its line goes to the back of the queue (round robin). Throttling backs off this region
 * only.
 */
export interface LogCallBudget {
  /** Waits for this region's next call slot; false (taking none) when it would come after `deadline`. */
  take(deadline: number): Promise<boolean>;
  /** A call here was throttled: the whole region pauses, doubling up to VERIFY_DEFAULTS' cap. */
  throttled(): void;
  /** A call here was answered: back to the normal pace. */
  answered(): void;
  /** Calls granted so far, and the most granted in any one window. */
  stats(): { granted: number; peakPerWindow: number };
}

/** Options for {@link createLogCallBudget}. */
export interface LogCallBudgetOptions {
  ratePerSecond: number;
  /** The window the rate is counted over (default 1 s plus a margin for the network's jitter). */
  windowMs?: number;
  now?: () => number;
  sleep?: Sleep;
}

/** Creates one region's budget (a sliding-window limiter with a FIFO queue). */
export function createLogCallBudget(options: LogCallBudgetOptions): LogCallBudget {
  const rate = options.ratePerSecond;
  const windowMs = options.windowMs ?? VERIFY_DEFAULTS.logBudgetWindowMs;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const [firstBackoff, maxBackoff] = VERIFY_DEFAULTS.throttleBackoffMs;
  /** Start times of the last `rate` calls, oldest first. */
  const starts: number[] = [];
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let backoffMs = 0;
  let granted = 0;
  let peak = 0;
  // One waiter at a time, in arrival order: the queue is this promise chain.
  let queue: Promise<unknown> = Promise.resolve();

  const nextSlot = () => {
    const windowFull = starts.length >= rate ? (starts[starts.length - rate] ?? 0) + windowMs : 0;
    return Math.max(windowFull, pausedUntil, now());
  };

  const turn = async (deadline: number): Promise<boolean> => {
    // Re-read after each sleep: a throttle may have paused the region meanwhile.
    for (let slot = nextSlot(); slot > now(); slot = nextSlot()) {
      if (slot >= deadline) return false;
      await sleep(slot - now());
    }
    if (now() >= deadline) return false;
    const at = now();
    starts.push(at);
    if (starts.length > rate) starts.shift();
    granted++;
    peak = Math.max(peak, starts.filter((start) => start > at - windowMs).length);
    return true;
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
  }): LogCallBudget;
  /** Per region: calls granted and the most in one window. */
  stats(): { region: string; granted: number; peakPerWindow: number }[];
}

/** Creates a run's per-region budgets, each at `ratePerSecond`. */
export function createRegionBudgets(options: LogCallBudgetOptions): RegionBudgets {
  const budgets = new Map<string, { region: string; budget: LogCallBudget }>();
  return {
    of(key) {
      const id = JSON.stringify([key.region ?? '', key.profile ?? '', key.endpoint ?? '']);
      let entry = budgets.get(id);
      if (entry === undefined) {
        entry = { region: key.region ?? '(default)', budget: createLogCallBudget(options) };
        budgets.set(id, entry);
      }
      return entry.budget;
    },
    stats: () => [...budgets.values()].map(({ region, budget }) => ({ region, ...budget.stats() })),
  };
}
