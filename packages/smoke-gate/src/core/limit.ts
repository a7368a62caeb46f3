/** Runs work with at most `concurrency` pieces in flight; the rest wait their turn, in order. */
export type Limit = <T>(work: () => Promise<T>) => Promise<T>;

/** No limit: the work runs at once (one target). */
export const unlimited: Limit = (work) => work();

/** Creates a {@link Limit} (a counting semaphore with a FIFO queue). */
export function createLimit(concurrency: number): Limit {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number from 1, not ${concurrency}`);
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finished piece hands its slot straight to the next waiter, so no newcomer can slip in.
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next();
  };
  return async (work) => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}
