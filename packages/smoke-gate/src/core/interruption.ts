// Ctrl-C (SIGINT) and a CI cancel or job timeout (SIGINT, then SIGTERM, then a kill) while the
// gate works: the person or pipeline that stopped it is told what is live and the way back, the
// verdict `interrupted` is written where it fits, and the process exits with 130 or 143. A second
// signal exits at once.

import { EXIT_INTERRUPTED, type StopSignal } from './verdicts.ts';

export type { StopSignal } from './verdicts.ts';

/** How long the handler may take before the process exits anyway (the exit is due within 5 s). */
export const INTERRUPT_GRACE_MS = 4000;

/** The bound of what the handler writes outside the machine (a record): due within 2 s. */
export const INTERRUPT_RECORD_MS = 1500;

/** What a watch needs of the process: its signals and its exit (a fake one in tests). */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
  exit(code: number): void;
}

/** An interruption: the signal and its exit code. */
export interface Interruption {
  signal: StopSignal;
  exitCode: number;
}

/** Stops watching (the work ended first). */
export type StopWatching = () => void;

/**
 * While the work runs, the first SIGINT or SIGTERM runs `handler` and then exits with the
 * signal's code: when the handler ends, or after {@link INTERRUPT_GRACE_MS} at the latest. A
 * second signal exits at once. Returns what stops the watch.
 */
export function watchInterruption(
  handler: (interruption: Interruption) => Promise<void>,
  options: { source?: SignalSource; graceMs?: number } = {},
): StopWatching {
  const source = options.source ?? process;
  let interruption: Interruption | undefined;
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const listener = () => {
      if (interruption !== undefined) {
        source.exit(interruption.exitCode);
        return;
      }
      interruption = { signal, exitCode: EXIT_INTERRUPTED[signal] };
      const { exitCode } = interruption;
      const timer = setTimeout(() => source.exit(exitCode), options.graceMs ?? INTERRUPT_GRACE_MS);
      timer.unref?.();
      handler(interruption)
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(timer);
          source.exit(exitCode);
        });
    };
    source.on(signal, listener);
    return { signal, listener };
  });
  return () => {
    for (const { signal, listener } of listeners) source.off(signal, listener);
  };
}

/** `work`'s result, or `lateValue` if it does not settle within `ms` (it is not cancelled). */
export async function within<T, L>(work: Promise<T>, ms: number, lateValue: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<L>((resolve) => {
    timer = setTimeout(() => resolve(lateValue), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
