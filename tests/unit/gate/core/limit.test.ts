import { describe, expect, it } from 'vitest';
import { createLimit } from '../../../../packages/smoke-gate/src/core/limit.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('createLimit', () => {
  it('never runs more than its concurrency at once, and runs everything', async () => {
    // Prepare
    const limit = createLimit(3);
    let running = 0;
    let most = 0;
    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        limit(async () => {
          running++;
          most = Math.max(most, running);
          await tick();
          running--;
          return index;
        }),
      ),
    );
    // Assess
    expect(most).toBe(3);
    expect(results).toStrictEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('starts waiting work in the order it came', async () => {
    // Prepare
    const limit = createLimit(1);
    const started: number[] = [];
    // Act
    await Promise.all(
      [0, 1, 2, 3].map((index) =>
        limit(async () => {
          started.push(index);
          await tick();
        }),
      ),
    );
    // Assess
    expect(started).toStrictEqual([0, 1, 2, 3]);
  });

  it('frees the slot of work that failed', async () => {
    // Prepare
    const limit = createLimit(1);
    // Act
    const failed = limit(async () => {
      throw new Error('boom');
    });
    const next = limit(async () => 'ran');
    // Assess
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('refuses a concurrency that is not a whole number from 1', () => {
    expect(() => createLimit(0)).toThrow(RangeError);
  });
});
