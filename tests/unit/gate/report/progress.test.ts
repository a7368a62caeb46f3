import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../../packages/smoke-gate/src/report/progress.ts';

describe('createProgress', () => {
  it('redraws one live line on a terminal', () => {
    const writes: string[] = [];
    const progress = createProgress({
      stream: { isTTY: true, write: (t: string) => writes.push(t) },
    });
    progress.update('waiting for the log line', '3 poll(s)');
    progress.done();
    const CLEAR_LINE = '\r\u001b[2K';
    expect(writes[0]?.startsWith(CLEAR_LINE)).toBe(true);
    expect(writes[0]?.slice(CLEAR_LINE.length)).toMatch(
      /^\d+\.\ds {2}waiting for the log line: 3 poll\(s\)$/,
    );
    expect(writes.at(-1)).toBe(CLEAR_LINE);
  });

  it('prints plain periodic lines elsewhere', () => {
    const writes: string[] = [];
    let time = 0;
    const progress = createProgress({
      stream: { write: (t: string) => writes.push(t) },
      intervalMs: 5_000,
      now: () => time,
    });
    for (let poll = 1; poll <= 20; poll++) {
      progress.update('waiting for the log line', `${poll} poll(s)`);
      time += 500;
    }
    progress.done();
    expect(writes).toStrictEqual([
      '[0.0s  waiting for the log line: 1 poll(s)]\n',
      '[5.0s  waiting for the log line: 11 poll(s)]\n',
    ]);
  });
});
