import { describe, expect, it } from 'vitest';
import { randomInt } from '../../lib/random-int.ts';

describe('randomInt', () => {
  it('returns whole numbers from min up to but not including max, as node:crypto does', () => {
    // Act
    const values = Array.from({ length: 2_000 }, () => randomInt(0, 100));
    // Assess
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v < 100)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(90);
  });
});
