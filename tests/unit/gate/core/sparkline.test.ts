import { describe, expect, it } from 'vitest';
import {
  bucketCounts,
  fitWidth,
  percentile,
  sparkline,
  unicodeOk,
} from '../../../../packages/smoke-gate/src/core/sparkline.ts';

describe('sparkline', () => {
  it('draws zero as a blank and scales the rest to the largest count', () => {
    expect(sparkline([0, 1, 4, 8, 12], { unicode: true })).toBe(' ▁▃▆█');
  });

  it('uses plain ASCII where the terminal cannot show blocks', () => {
    expect(sparkline([0, 1, 4, 8, 12], { unicode: false })).toBe(' _-+#');
  });

  it('is all blanks when nothing arrived', () => {
    expect(sparkline([0, 0, 0], { unicode: true })).toBe('   ');
  });
});

describe('bucketCounts', () => {
  it('counts per hour, oldest first, leaving out what is outside the window', () => {
    // Prepare
    const now = Date.parse('2026-11-29T12:00:00Z');
    const hour = 3_600_000;
    // Act
    const counts = bucketCounts([now - 1, now - 2, now - hour - 1, now - 3 * hour - 1, now + 5], {
      now,
      bucketMs: hour,
      buckets: 3,
    });
    // Assess
    expect(counts).toStrictEqual([0, 1, 2]);
  });
});

describe('fitWidth', () => {
  it('keeps 24 hours on a wide terminal and sums pairs on a narrow one', () => {
    const hours = Array.from({ length: 24 }, (_, i) => i % 3);
    expect(fitWidth(hours, 80)).toHaveLength(24);
    const narrow = fitWidth(hours, 12);
    expect(narrow).toHaveLength(12);
    expect(narrow.reduce((a, b) => a + b)).toBe(hours.reduce((a, b) => a + b));
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([900, 100, 300, 200, 1200], 50)).toBe(300);
    expect(percentile([900, 100, 300, 200, 1200], 95)).toBe(1200);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('unicodeOk', () => {
  it.each([
    [{ LANG: 'en_US.UTF-8' }, true],
    [{ LC_ALL: 'C.utf8' }, true],
    [{ LANG: 'C' }, false],
    [{}, false],
  ])('reads %j', (env, expected) => {
    expect(unicodeOk(env)).toBe(expected);
  });
});
