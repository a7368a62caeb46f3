import { DeadlineError } from './errors.ts';

/** Waits; swapped in tests. */
export type Sleep = (ms: number) => Promise<void>;

/** The real sleep. */
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One deadline for a whole run, set at the CLI's first line. */
export interface Deadline {
  /** Epoch ms at which everything must have ended. */
  readonly at: number;
  remainingMs(): number;
  /**
   * A signal that aborts when the deadline passes (or after `capMs`, if sooner), with its timer
   * cleared by `clear()` when the work ends first: a bare timeout signal would hold its request
   * and answer until it fires, which adds up over hundreds of targets.
   */
  timer(capMs?: number): { signal: AbortSignal; clear: () => void };
  /** Resolves as `work` does, or rejects with a DeadlineError naming `what` when time runs out. */
  race<T>(work: Promise<T>, what: string): Promise<T>;
}

/** Creates a deadline at epoch ms `at`, read with `now`. */
export function createDeadline(at: number, now: () => number = Date.now): Deadline {
  const remainingMs = () => Math.max(at - now(), 0);
  // AbortSignal.timeout and setTimeout take whole milliseconds >= 1.
  const wait = (ms: number) => Math.max(Math.ceil(ms), 1);
  return {
    at,
    remainingMs,
    timer(capMs = Number.POSITIVE_INFINITY) {
      const controller = new AbortController();
      const timeout = setTimeout(
        () => controller.abort(new DOMException('The deadline passed', 'TimeoutError')),
        wait(Math.min(remainingMs(), capMs)),
      );
      return { signal: controller.signal, clear: () => clearTimeout(timeout) };
    },
    race<T>(work: Promise<T>, what: string): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new DeadlineError(`${what} did not finish before the deadline (--timeout)`)),
          wait(remainingMs()),
        );
      });
      return Promise.race([work, expired]).finally(() => clearTimeout(timer));
    },
  };
}
