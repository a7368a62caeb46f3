import { describe, expect, it } from 'vitest';
import {
  readShiftConfig,
  readShiftOption,
  shapeText,
  shiftBoundMs,
  shiftInProgress,
  shiftSteps,
  shiftWayOut,
} from '../../../../packages/smoke-gate/src/traffic/traffic-shift.ts';

const CANARY = { kind: 'canary', percent: 20, minutes: 3 } as const;

describe('shiftSteps', () => {
  it('holds a canary at its share for its minutes, once', () => {
    expect(shiftSteps(CANARY)).toStrictEqual([{ percent: 20, holdMs: 180_000 }]);
  });

  it('steps a linear shift in equal shares below 100, each held', () => {
    expect(shiftSteps({ kind: 'linear', percent: 30, everyMinutes: 2 })).toStrictEqual([
      { percent: 30, holdMs: 120_000 },
      { percent: 60, holdMs: 120_000 },
      { percent: 90, holdMs: 120_000 },
    ]);
  });

  it('has no steps all at once', () => {
    expect(shiftSteps({ kind: 'all-at-once' })).toStrictEqual([]);
  });
});

describe('readShiftOption (--traffic, this deploy only)', () => {
  it.each([
    ['all-at-once', { kind: 'all-at-once' }],
    ['canary', CANARY],
    ['linear', { kind: 'linear', percent: 10, everyMinutes: 1 }],
    ['canary:5:10', { kind: 'canary', percent: 5, minutes: 10 }],
    ['linear:25:2', { kind: 'linear', percent: 25, everyMinutes: 2 }],
  ])('reads %s (the configured canary is 20%% for 3 min)', (text, shape) => {
    expect(readShiftOption(text, CANARY)).toStrictEqual(shape);
  });

  it.each([
    ['halfway', /^--traffic must be all-at-once, canary, linear/],
    ['canary:5', /^--traffic must be/],
    ['canary:5:10:1', /^--traffic must be/],
    ['canary:100:1', /canary\.percent must be a whole number from 1 to 99, not 100$/],
    ['linear:x:1', /linear\.percent must be a whole number from 1 to 50, not "x"$/],
  ])('refuses %s in one line', (text, message) => {
    expect(() => readShiftOption(text, CANARY)).toThrow(message);
  });
});

describe('readShiftConfig', () => {
  it('is all at once without canary or linear', () => {
    expect(readShiftConfig({ candidateUrl: 'https://x' })).toStrictEqual({ kind: 'all-at-once' });
  });

  it('takes the longest shift there may be, and no longer', () => {
    expect(readShiftConfig({ linear: { percent: 50, everyMinutes: 60 } })).toMatchObject({
      kind: 'linear',
    });
    expect(() => readShiftConfig({ canary: { percent: 10, minutes: 61 } })).toThrow(
      'custom.smokeTest.traffic.canary.minutes must be a whole number from 1 to 60, not 61',
    );
  });
});

describe('a shift in progress', () => {
  it('is read from the alias weights, and named with its two ways out', () => {
    // Act
    const shift = shiftInProgress({ version: '4', weights: { '5': 0.25 } });
    // Assess
    expect(shift).toStrictEqual({ from: '4', to: '5', percent: 25 });
    expect(shiftWayOut(shift as never, '--stage prod')).toBe(
      'a shift of live is in progress: version 5 at 25%, the rest on version 4. Finish it: npx smoke-gate promote --stage prod; undo it: npx smoke-gate abort --stage prod',
    );
    expect(shiftInProgress({ version: '4', weights: {} })).toBeUndefined();
    expect(shiftInProgress(undefined)).toBeUndefined();
  });
});

describe('shapeText and shiftBoundMs', () => {
  it("says a shape in words, and bounds its bake with each step's probe and calls", () => {
    expect(shapeText(CANARY)).toBe('canary 20% for 3 min');
    expect(shapeText({ kind: 'linear', percent: 10, everyMinutes: 1 })).toBe(
      'linear 10% every 1 min',
    );
    expect(shiftBoundMs(undefined, 120)).toBe(0);
    expect(shiftBoundMs(CANARY, 120)).toBe(180_000 + 120_000 + 4 * 20_000);
  });
});
