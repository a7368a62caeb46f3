// A shift of `live` in steps (docs/traffic.md): each step weights the alias in one call, probes the
// public route once, and bakes: the watch (gate/shift-watch.ts) runs every
// SHIFT_DEFAULTS.checkEveryMs and at the step's end. Anything bad moves `live` back to the old
// version in one call. Time is the context's clock, so a test bakes minutes in no time.

import type { LambdaClient } from '@aws-sdk/client-lambda';
import { createDeadline, type Deadline, type Sleep, sleep } from '../core/deadline.ts';
import { SHIFT_DEFAULTS } from '../core/defaults.ts';
import type { PluginLog } from '../core/framework.ts';
import { EXIT_VERIFIED } from '../core/verdicts.ts';
import { allowInvokers } from '../traffic/alias-permissions.ts';
import { weighAlias } from '../traffic/alias-weights.ts';
import { pointAlias } from '../traffic/aliases.ts';
import { type ShiftShape, shapeText, shiftSteps } from '../traffic/traffic-shift.ts';
import { TRAFFIC_NAMES, type TrafficStage } from '../traffic/traffic-stage.ts';
import type { VerificationOutcome } from '../verification/run-verification.ts';
import type { GateStep } from './gate-steps.ts';
import type { ShiftWatch } from './shift-watch.ts';

/** What a bake needs: Lambda, the log, the clock, the probe and the watch. */
export interface BakeContext {
  lambda: LambdaClient;
  log: PluginLog;
  clock: { now: () => number; sleep: Sleep };
  /** The probe: one verification through the public route (either version's line). */
  probe: () => Promise<VerificationOutcome>;
  watch: ShiftWatch;
  onStep?: ((step: GateStep) => void) | undefined;
}

/** How a bake ended: every step held (live still weighted at the last), or stopped and moved back. */
export type BakeResult = { completed: true } | { completed: false; why: string; percent: number };

/** What one step's alias call and the moves back are bounded by. */
const aliasDeadline = () => createDeadline(Date.now() + SHIFT_DEFAULTS.watchCallTimeoutMs);

/** Holds one step for `holdMs`, checking every checkEveryMs and at its end; the first problem. */
async function holdStep(
  context: BakeContext,
  since: number,
  holdMs: number,
): Promise<string | undefined> {
  const { clock, watch } = context;
  const end = clock.now() + holdMs;
  for (;;) {
    const problem = await watch.check(since);
    if (problem !== undefined) return problem;
    const left = end - clock.now();
    if (left <= 0) return undefined;
    await clock.sleep(Math.min(SHIFT_DEFAULTS.checkEveryMs, left));
  }
}

/** Runs the shift's steps from `from` to `to`; stops and moves `live` back on the first problem. */
export async function bakeShift(
  context: BakeContext,
  target: { functionName: string; from: string; to: string; shape: ShiftShape },
): Promise<BakeResult> {
  const { lambda, log, clock } = context;
  const { functionName, from, to } = target;
  const steps = shiftSteps(target.shape);
  const since = clock.now();
  let left = steps.reduce((sum, step) => sum + step.holdMs, 0);
  log.notice(
    `Traffic mode: shifting live from version ${from} to ${to}, ${shapeText(target.shape)}; watching ${context.watch.watched.join(', ')}.`,
  );
  for (const [index, step] of steps.entries()) {
    const weighted = { version: to, percent: step.percent };
    await weighAlias(
      lambda,
      { functionName, alias: TRAFFIC_NAMES.live, version: from, weighted },
      aliasDeadline(),
    );
    context.onStep?.({ step: 'shifting', version: to, live: from, percent: step.percent });
    log.notice(
      `Traffic mode: step ${index + 1}/${steps.length}: version ${to} at ${step.percent}%, the rest on ${from}; ${Math.ceil(left / 60_000)} min left.`,
    );
    const probe = await context.probe();
    const problem =
      probe.exitCode === EXIT_VERIFIED
        ? await holdStep(context, since, step.holdMs)
        : `the probe through the public route did not pass (${probe.error ?? `exit ${probe.exitCode}`})`;
    if (problem !== undefined) {
      log.notice(`Traffic mode: ${problem}; moving live back to version ${from}.`);
      await pointAlias(
        lambda,
        { functionName, alias: TRAFFIC_NAMES.live, version: from },
        aliasDeadline(),
      );
      return { completed: false, why: problem, percent: step.percent };
    }
    left -= step.holdMs;
  }
  return { completed: true };
}

/** What a shift after the candidate's PASS needs of the traffic gate's context. */
export interface ShiftRun {
  lambda: LambdaClient;
  log: PluginLog;
  /** The gate's bound after a deploy (every alias move ends by it). */
  deadline: Deadline;
  /** How `live` moves to a version that passed (all at once when undefined). */
  shift?: ShiftShape | undefined;
  /** A shift's clock (tests bake minutes in no time) and its watch, made for the two versions. */
  clock?: { now: () => number; sleep: Sleep } | undefined;
  watchOf?: ((versions: { from: string; to: string }) => Promise<ShiftWatch>) | undefined;
  /** Told where the traffic mode is (for an interruption: where `live` is). */
  onStep?: ((step: GateStep) => void) | undefined;
  verify: (request: { startedFrom: number }) => Promise<VerificationOutcome>;
}

/**
 * The shift's bake before `live` moves whole (gate/shift-bake.ts), when the service shifts in
 * steps and there is a version to shift from; undefined when it moves all at once.
 */
export async function shiftLive(
  context: ShiftRun,
  stage: TrafficStage,
  versions: { to: string; from: string | undefined },
): Promise<BakeResult | undefined> {
  const { shift, watchOf } = context;
  if (shift === undefined || shift.kind === 'all-at-once' || watchOf === undefined)
    return undefined;
  const { from, to } = versions;
  if (from === undefined) {
    context.log.notice(
      `Traffic mode: no version serves live yet, so there is nothing to shift from: live is made on version ${to} at once.`,
    );
    return undefined;
  }
  await allowInvokers(
    context.lambda,
    { functionName: stage.functionName, alias: TRAFFIC_NAMES.live, invokers: stage.invokers },
    context.deadline,
  );
  const clock = context.clock ?? { now: Date.now, sleep };
  return bakeShift(
    {
      lambda: context.lambda,
      log: context.log,
      clock,
      onStep: context.onStep,
      watch: await watchOf({ from, to }),
      probe: () => context.verify({ startedFrom: Date.now() }),
    },
    { functionName: stage.functionName, from, to, shape: shift },
  );
}
