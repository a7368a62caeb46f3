import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  INTERRUPT_GRACE_MS,
  type SignalSource,
  watchInterruption,
  within,
} from '../../../../packages/smoke-gate/src/core/interruption.ts';

/** A process stand-in: signals on demand, exits recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const source: SignalSource = {
    on: (signal, listener) => emitter.on(signal, listener),
    off: (signal, listener) => emitter.off(signal, listener),
    exit: (code) => exits.push(code),
  };
  return { source, exits, send: (signal: string) => emitter.emit(signal) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('watchInterruption', () => {
  it('runs the handler once on SIGINT, then exits 130', async () => {
    // Prepare
    const proc = fakeProcess();
    const seen: string[] = [];
    const { promise: handled, resolve } = Promise.withResolvers<void>();
    watchInterruption(
      async (interruption) => {
        seen.push(`${interruption.signal} ${interruption.exitCode}`);
        resolve();
      },
      { source: proc.source },
    );
    // Act
    proc.send('SIGINT');
    await handled;
    await vi.waitFor(() => expect(proc.exits).toHaveLength(1));
    // Assess
    expect(seen).toStrictEqual(['SIGINT 130']);
    expect(proc.exits).toStrictEqual([130]);
  });

  it('exits 143 on SIGTERM, even when the handler fails', async () => {
    // Prepare
    const proc = fakeProcess();
    watchInterruption(
      async () => {
        throw new Error('could not write');
      },
      { source: proc.source },
    );
    // Act
    proc.send('SIGTERM');
    // Assess
    await vi.waitFor(() => expect(proc.exits).toStrictEqual([143]));
  });

  it('exits at once on a second signal while the handler still works', () => {
    // Prepare
    const proc = fakeProcess();
    watchInterruption(() => new Promise<void>(() => undefined), { source: proc.source });
    // Act
    proc.send('SIGINT');
    proc.send('SIGINT');
    // Assess: the first signal's code, without waiting for the handler.
    expect(proc.exits).toStrictEqual([130]);
  });

  it('exits after the grace period when the handler never ends', () => {
    // Prepare
    vi.useFakeTimers();
    const proc = fakeProcess();
    watchInterruption(() => new Promise<void>(() => undefined), { source: proc.source });
    // Act
    proc.send('SIGTERM');
    vi.advanceTimersByTime(INTERRUPT_GRACE_MS - 1);
    const early = [...proc.exits];
    vi.advanceTimersByTime(1);
    // Assess: within the 5 s the exit is due by.
    expect(INTERRUPT_GRACE_MS).toBeLessThan(5000);
    expect(early).toStrictEqual([]);
    expect(proc.exits).toStrictEqual([143]);
  });

  it('no longer reacts once stopped (the work ended first)', () => {
    // Prepare
    const proc = fakeProcess();
    const handler = vi.fn(async () => undefined);
    const stop = watchInterruption(handler, { source: proc.source });
    // Act
    stop();
    proc.send('SIGINT');
    // Assess
    expect(handler).not.toHaveBeenCalled();
    expect(proc.exits).toStrictEqual([]);
  });
});

describe('within', () => {
  it('gives the result of work that ends in time', async () => {
    expect(await within(Promise.resolve('recorded'), 1000, 'late')).toBe('recorded');
  });

  it('gives the late value for work that does not end in time', async () => {
    // Prepare
    vi.useFakeTimers();
    const result = within(new Promise<string>(() => undefined), 1500, 'late');
    // Act
    vi.advanceTimersByTime(1500);
    // Assess
    expect(await result).toBe('late');
  });
});
