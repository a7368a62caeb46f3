import { VERIFY_DEFAULTS } from '../core/defaults.ts';

/** Where progress goes and how. */
export interface ProgressOptions {
  stream: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  /** Plain mode prints at most one line per interval (default VERIFY_DEFAULTS.progressIntervalMs). */
  intervalMs?: number;
  now?: () => number;
}

/** Shows what the verifier is waiting for. */
export interface Progress {
  update(phase: string, detail: string): void;
  done(): void;
}

/**
 * On a terminal, one live line (elapsed time, phase, polls so far) redrawn in place; elsewhere
 * (CI logs) a plain line at most every few seconds and on each phase change.
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const live = options.stream.isTTY === true;
  const interval = options.intervalMs ?? VERIFY_DEFAULTS.progressIntervalMs;
  let phase = '';
  let detail = '';
  let lastPrinted = Number.NEGATIVE_INFINITY;
  let lastPhase = '';
  const text = () => `${((now() - started) / 1000).toFixed(1)}s  ${phase}: ${detail}`;
  const redraw = () => options.stream.write(`\r\u001b[2K${text()}`);
  const timer = live ? setInterval(redraw, 250) : undefined;
  timer?.unref();

  return {
    update(nextPhase, nextDetail) {
      phase = nextPhase;
      detail = nextDetail;
      if (live) return redraw();
      if (phase !== lastPhase || now() - lastPrinted >= interval) {
        options.stream.write(`[${text()}]\n`);
        lastPrinted = now();
        lastPhase = phase;
      }
    },
    done() {
      if (timer !== undefined) clearInterval(timer);
      if (live) options.stream.write('\r\u001b[2K');
    },
  };
}
