import {
  AddPermissionCommand,
  GetAliasCommand,
  GetPolicyCommand,
  LambdaClient,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { SHIFT_DEFAULTS } from '../../../../packages/smoke-gate/src/core/defaults.ts';
import type { GateStep } from '../../../../packages/smoke-gate/src/gate/gate-steps.ts';
import { bakeShift, shiftLive } from '../../../../packages/smoke-gate/src/gate/shift-bake.ts';
import { fakeClock } from '../../../helpers/fake-clock.ts';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

/** A bake on a fake clock: the watch answers `problems` in turn (then all well), the probe `probe`. */
function bake(options: { problems?: (string | undefined)[]; probe?: number } = {}) {
  const clock = fakeClock();
  const notices: string[] = [];
  const steps: GateStep[] = [];
  const checks: number[] = [];
  const problems = [...(options.problems ?? [])];
  lambda.on(UpdateAliasCommand).resolves({});
  const context = {
    lambda: new LambdaClient({ region: 'us-east-1' }),
    log: { notice: (t: string) => notices.push(t), success: () => {}, error: () => {} },
    clock,
    probe: async () => ({
      exitCode: options.probe ?? 0,
      error: options.probe ? 'HTTP 500' : undefined,
    }),
    watch: {
      watched: ['alarms a'],
      check: async () => {
        checks.push(clock.now());
        return problems.shift();
      },
    },
    onStep: (step: GateStep) => steps.push(step),
  };
  return { context, clock, notices, steps, checks };
}

const aliasCalls = () => lambda.commandCalls(UpdateAliasCommand).map((call) => call.args[0].input);

describe('bakeShift', () => {
  it('weights live for a canary, watches it every check for its minutes, and leaves it weighted', async () => {
    // Prepare
    const { context, clock, checks, steps } = bake();
    const started = clock.now();
    // Act
    const result = await bakeShift(context, {
      functionName: 'orders-prod-ping',
      from: '4',
      to: '5',
      shape: { kind: 'canary', percent: 10, minutes: 2 },
    });
    // Assess
    expect(result).toStrictEqual({ completed: true });
    expect(aliasCalls()).toStrictEqual([
      {
        FunctionName: 'orders-prod-ping',
        Name: 'live',
        FunctionVersion: '4',
        RoutingConfig: { AdditionalVersionWeights: { '5': 0.1 } },
      },
    ]);
    expect(clock.now() - started).toBe(120_000);
    expect(checks).toHaveLength(120_000 / SHIFT_DEFAULTS.checkEveryMs + 1);
    expect(steps).toStrictEqual([{ step: 'shifting', version: '5', live: '4', percent: 10 }]);
  });

  it('moves live back in one call at the first problem, within one check', async () => {
    // Prepare: all well twice, then an alarm.
    const { context, clock, notices } = bake({
      problems: [undefined, undefined, 'alarm orders-prod-p99 is in ALARM (Threshold Crossed)'],
    });
    const started = clock.now();
    // Act
    const result = await bakeShift(context, {
      functionName: 'orders-prod-ping',
      from: '4',
      to: '5',
      shape: { kind: 'linear', percent: 50, everyMinutes: 5 },
    });
    // Assess
    expect(result).toStrictEqual({
      completed: false,
      why: 'alarm orders-prod-p99 is in ALARM (Threshold Crossed)',
      percent: 50,
    });
    expect(clock.now() - started).toBe(2 * SHIFT_DEFAULTS.checkEveryMs);
    expect(aliasCalls().at(-1)).toStrictEqual({
      FunctionName: 'orders-prod-ping',
      Name: 'live',
      FunctionVersion: '4',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
    expect(notices.at(-1)).toBe(
      'Traffic mode: alarm orders-prod-p99 is in ALARM (Threshold Crossed); moving live back to version 4.',
    );
  });

  it('moves live back when the probe through the public route fails, before any bake', async () => {
    // Prepare
    const { context, clock, checks } = bake({ probe: 1 });
    const started = clock.now();
    // Act
    const result = await bakeShift(context, {
      functionName: 'orders-prod-ping',
      from: '4',
      to: '5',
      shape: { kind: 'canary', percent: 10, minutes: 5 },
    });
    // Assess
    expect(result).toStrictEqual({
      completed: false,
      why: 'the probe through the public route did not pass (HTTP 500)',
      percent: 10,
    });
    expect(clock.now()).toBe(started);
    expect(checks).toStrictEqual([]);
    expect(aliasCalls()).toHaveLength(2);
  });

  it('steps a linear shift, saying each step and the time left', async () => {
    // Prepare
    const { context, notices } = bake();
    // Act
    await bakeShift(context, {
      functionName: 'f',
      from: '1',
      to: '2',
      shape: { kind: 'linear', percent: 40, everyMinutes: 1 },
    });
    // Assess
    expect(aliasCalls().map((call) => call.RoutingConfig?.AdditionalVersionWeights)).toStrictEqual([
      { '2': 0.4 },
      { '2': 0.8 },
    ]);
    expect(notices.filter((n) => n.startsWith('Traffic mode: step'))).toStrictEqual([
      'Traffic mode: step 1/2: version 2 at 40%, the rest on 1; 2 min left.',
      'Traffic mode: step 2/2: version 2 at 80%, the rest on 1; 1 min left.',
    ]);
    expect(lambda.commandCalls(GetAliasCommand)).toHaveLength(0);
  });
});

describe('shiftLive (after the candidate passed)', () => {
  const STAGE = {
    functionName: 'orders-prod-ping',
    candidateUrl: 'https://x/candidate/ping',
    invokers: [],
  };
  /** The traffic gate's context, as far as a shift reads it. */
  const run = (
    shift?: { kind: 'all-at-once' } | { kind: 'canary'; percent: number; minutes: number },
  ) => {
    const { context, notices } = bake();
    const watched: string[][] = [];
    return {
      notices,
      watched,
      context: {
        ...context,
        deadline: createDeadline(Date.now() + 10_000),
        shift,
        verify: async () => ({ exitCode: 0 }),
        watchOf: async (versions: { from: string; to: string }) => {
          watched.push([versions.from, versions.to]);
          return context.watch;
        },
      },
    };
  };

  it('does nothing all at once, or without a shift configured', async () => {
    for (const shift of [undefined, { kind: 'all-at-once' as const }]) {
      const { context, watched } = run(shift);
      expect(await shiftLive(context, STAGE, { to: '5', from: '4' })).toBeUndefined();
      expect(watched).toStrictEqual([]);
    }
    expect(aliasCalls()).toStrictEqual([]);
  });

  it('says there is nothing to shift from on a first deploy, and shifts nothing', async () => {
    // Prepare
    const { context, notices } = run({ kind: 'canary', percent: 10, minutes: 1 });
    // Act
    const result = await shiftLive(context, STAGE, { to: '1', from: undefined });
    // Assess
    expect(result).toBeUndefined();
    expect(notices).toStrictEqual([
      'Traffic mode: no version serves live yet, so there is nothing to shift from: live is made on version 1 at once.',
    ]);
  });

  it('lets the invokers call live, then bakes the shift from the live version to the new one', async () => {
    // Prepare
    lambda.on(GetPolicyCommand).resolves({ Policy: '{"Statement":[]}' });
    lambda.on(AddPermissionCommand).resolves({});
    const { context, watched } = run({ kind: 'canary', percent: 10, minutes: 1 });
    // Act
    const result = await shiftLive(context, STAGE, { to: '5', from: '4' });
    // Assess
    expect(result).toStrictEqual({ completed: true });
    expect(watched).toStrictEqual([['4', '5']]);
    expect(aliasCalls()[0]?.RoutingConfig?.AdditionalVersionWeights).toStrictEqual({ '5': 0.1 });
  });
});
