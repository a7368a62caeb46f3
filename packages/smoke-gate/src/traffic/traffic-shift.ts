// How the traffic mode moves `live` to a version that passed on the candidate stage
// (docs/traffic.md): all at once, or in steps of the alias's weights: a canary (one share for a
// bake, then all) or linear (equal steps, each held). Read from custom.smokeTest.traffic at
// package time and from `serverless deploy --traffic` for one deploy; one-line errors.

import { SHIFT_DEFAULTS as S } from '../core/defaults.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { isRecord } from '../core/json.ts';
import { safeJson } from '../core/safe-text.ts';

/** A shift's shape. */
export type ShiftShape =
  | { kind: 'all-at-once' }
  | { kind: 'canary'; percent: number; minutes: number }
  | { kind: 'linear'; percent: number; everyMinutes: number };

/** One step of a shift: the new version's share, held this long and watched. */
export interface ShiftStep {
  percent: number;
  holdMs: number;
}

/** The shapes' defaults, when `--traffic canary` or `linear` names no numbers. */
export const SHIFT_SHAPES = {
  canary: { kind: 'canary', percent: 10, minutes: 5 },
  linear: { kind: 'linear', percent: 10, everyMinutes: 1 },
} as const;

const fail = (where: string, what: string) => new CouldNotJudgeError(`${where} ${what}`);

/** An integer within bounds, or a one-line refusal naming `where`. */
function bounded(value: unknown, where: string, min: number, max: number): number {
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    throw fail(
      where,
      `must be a number, not the text ${safeJson(value)}: write ${value.trim()} without quotes`,
    );
  }
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw fail(where, `must be a whole number from ${min} to ${max}, not ${safeJson(value)}`);
  }
  return value as number;
}

/** Refuses a shift longer than the bound a deploy command may bake for. */
function withinTotal(shape: ShiftShape, where: string): ShiftShape {
  const minutes = shiftSteps(shape).reduce((sum, step) => sum + step.holdMs, 0) / 60_000;
  if (minutes > S.maxTotalMinutes) {
    throw fail(
      where,
      `would bake for ${minutes} minutes; a shift may take at most ${S.maxTotalMinutes}`,
    );
  }
  return shape;
}

/** What each stepped shape takes: its share's bound and the name of its hold. */
const STEPPED = {
  canary: { maxPercent: S.maxCanaryPercent, hold: 'minutes' },
  linear: { maxPercent: S.maxLinearPercent, hold: 'everyMinutes' },
} as const;

/** Reads `traffic.canary` / `traffic.linear` (a map), or none for all at once. */
export function readShiftConfig(traffic: Record<string, unknown>): ShiftShape {
  if (traffic.canary !== undefined && traffic.linear !== undefined) {
    throw fail('custom.smokeTest.traffic', 'takes canary or linear, not both');
  }
  const kind = traffic.canary === undefined ? 'linear' : 'canary';
  const shape = traffic[kind];
  if (shape === undefined) return { kind: 'all-at-once' };
  const where = `custom.smokeTest.traffic.${kind}`;
  if (!isRecord(shape)) throw fail(where, `must be a map, not ${safeJson(shape)}`);
  const { maxPercent, hold } = STEPPED[kind];
  const keys = ['percent', hold];
  const unknown = Object.keys(shape).find((key) => !keys.includes(key));
  if (unknown !== undefined) {
    throw fail(where, `has an unknown key ${safeJson(unknown)}: known keys: ${keys.join(', ')}`);
  }
  const defaultHold =
    kind === 'canary' ? SHIFT_SHAPES.canary.minutes : SHIFT_SHAPES.linear.everyMinutes;
  const percent = bounded(
    shape.percent ?? SHIFT_SHAPES[kind].percent,
    `${where}.percent`,
    S.minPercent,
    maxPercent,
  );
  const held = bounded(shape[hold] ?? defaultHold, `${where}.${hold}`, S.minMinutes, S.maxMinutes);
  const read: ShiftShape =
    kind === 'canary' ? { kind, percent, minutes: held } : { kind, percent, everyMinutes: held };
  return withinTotal(read, where);
}

/**
 * Reads `--traffic` for one deploy: `all-at-once`, `canary` or `linear` (the shape's numbers from
 * serverless.yml, else the defaults), `canary:<percent>:<minutes>`, `linear:<percent>:<everyMinutes>`.
 */
export function readShiftOption(text: string, configured: ShiftShape): ShiftShape {
  const [kind, first, second, ...rest] = text.trim().split(':');
  const usage =
    'must be all-at-once, canary, linear, canary:<percent>:<minutes> or linear:<percent>:<everyMinutes>';
  if (rest.length > 0 || (first === undefined) !== (second === undefined)) {
    throw fail('--traffic', `${usage}, not ${safeJson(text)}`);
  }
  if (kind === 'all-at-once' && first === undefined) return { kind: 'all-at-once' };
  if (kind !== 'canary' && kind !== 'linear')
    throw fail('--traffic', `${usage}, not ${safeJson(text)}`);
  if (first === undefined) return configured.kind === kind ? configured : SHIFT_SHAPES[kind];
  const numbers = (value: string) => (/^\d+$/.test(value) ? Number(value) : value);
  const hold = kind === 'canary' ? 'minutes' : 'everyMinutes';
  return readShiftConfig({
    [kind]: { percent: numbers(first), [hold]: numbers(second as string) },
  });
}

/** The steps of a shift: the new version's share at each, and how long it is held and watched. */
export function shiftSteps(shape: ShiftShape): ShiftStep[] {
  if (shape.kind === 'all-at-once') return [];
  if (shape.kind === 'canary') return [{ percent: shape.percent, holdMs: shape.minutes * 60_000 }];
  const steps: ShiftStep[] = [];
  for (let percent = shape.percent; percent < 100; percent += shape.percent) {
    steps.push({ percent, holdMs: shape.everyMinutes * 60_000 });
  }
  return steps;
}

/** A shape in words: `canary 10% for 5 min`, `linear 10% every 1 min`, `all at once`. */
export function shapeText(shape: ShiftShape): string {
  if (shape.kind === 'canary') return `canary ${shape.percent}% for ${shape.minutes} min`;
  if (shape.kind === 'linear') return `linear ${shape.percent}% every ${shape.everyMinutes} min`;
  return 'all at once';
}

/** A shift left between its steps: live on `from`, `to` weighted `percent`. */
export interface ShiftInProgress {
  from: string;
  to: string;
  percent: number;
}

/** The shift an alias is in the middle of, from its weights; undefined when it is whole. */
export function shiftInProgress(
  alias: { version: string; weights: Record<string, number> } | undefined,
): ShiftInProgress | undefined {
  const [entry] = Object.entries(alias?.weights ?? {});
  if (alias === undefined || entry === undefined) return undefined;
  return { from: alias.version, to: entry[0], percent: Math.round(entry[1] * 1000) / 10 };
}

/** The one line that names a shift in progress and the two ways out of it. */
export function shiftWayOut(shift: ShiftInProgress, where: string): string {
  return `a shift of live is in progress: version ${shift.to} at ${shift.percent}%, the rest on version ${shift.from}. Finish it: npx smoke-gate promote ${where}; undo it: npx smoke-gate abort ${where}`;
}

/**
 * The most a shift adds to the gate's bound: its holds, and at each step a probe (one
 * verification's timeout) and the alias call and watch reads (their own bound each).
 */
export function shiftBoundMs(shape: ShiftShape | undefined, timeoutSeconds: number): number {
  if (shape === undefined) return 0;
  return shiftSteps(shape).reduce(
    (sum, step) => sum + step.holdMs + timeoutSeconds * 1000 + 4 * S.watchCallTimeoutMs,
    0,
  );
}
