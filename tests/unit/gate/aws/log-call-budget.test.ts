import { describe, expect, it } from 'vitest';
import {
  createLogCallBudget,
  createRegionBudgets,
  type LogCallBudget,
} from '../../../../packages/smoke-gate/src/aws/log-call-budget.ts';
import { VERIFY_DEFAULTS } from '../../../../packages/smoke-gate/src/core/defaults.ts';
import { fakeClock } from '../../../helpers/fake-clock.ts';

/** The most of `times` that fall in any window of `windowMs` (half-open, as a quota counts). */
const peakIn = (times: number[], windowMs: number) =>
  Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));

/** Targets that each take `rounds` slots, every call lasting `latencyMs` on the fake clock. */
async function playTargets(options: {
  budget: LogCallBudget;
  clock: ReturnType<typeof fakeClock>;
  targets: number;
  rounds: number;
  latencyMs: number;
  deadline: number;
}) {
  const grants: { target: number; at: number; endedAt: number }[] = [];
  await Promise.all(
    Array.from({ length: options.targets }, async (_, target) => {
      for (let round = 0; round < options.rounds; round++) {
        const slot = await options.budget.take(options.deadline);
        if (slot === undefined) return;
        const at = options.clock.now();
        options.clock.advance(options.latencyMs);
        slot.settled();
        grants.push({ target, at, endedAt: options.clock.now() });
      }
    }),
  );
  return grants;
}

describe('createLogCallBudget', () => {
  it('never lets more than the rate of calls into any second, however many targets share it', async () => {
    // Prepare
    const clock = fakeClock();
    const budget = createLogCallBudget({ ratePerSecond: 2, now: clock.now, sleep: clock.sleep });
    // Act
    const grants = await playTargets({
      budget,
      clock,
      targets: 25,
      rounds: 4,
      latencyMs: 40,
      deadline: clock.now() + 600_000,
    });
    // Assess
    expect(grants).toHaveLength(100);
    expect(
      peakIn(
        grants.map((g) => g.at),
        1000,
      ),
    ).toBe(2);
    // Counted from when each call ended, the calls also reach the service within the rate.
    expect(
      peakIn(
        grants.map((g) => g.endedAt),
        1000,
      ),
    ).toBe(2);
    expect(budget.stats()).toStrictEqual({ granted: 100, peakPerWindow: 2 });
  });

  it('serves waiting targets first come first served, so each is searched in turn', async () => {
    // Prepare
    const clock = fakeClock();
    const budget = createLogCallBudget({ ratePerSecond: 2, now: clock.now, sleep: clock.sleep });
    // Act
    const grants = await playTargets({
      budget,
      clock,
      targets: 5,
      rounds: 3,
      latencyMs: 10,
      deadline: clock.now() + 600_000,
    });
    // Assess
    const order = grants.map((g) => g.target);
    expect(order).toStrictEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
  });

  it('holds the next slot while the calls of the window are still in flight', async () => {
    // Prepare
    const clock = fakeClock();
    const budget = createLogCallBudget({ ratePerSecond: 2, now: clock.now, sleep: clock.sleep });
    const deadline = clock.now() + 60_000;
    const first = await budget.take(deadline);
    await budget.take(deadline);
    let third: number | undefined;
    const waiting = budget.take(deadline).then((slot) => {
      third = clock.now();
      return slot;
    });
    // Act
    await new Promise((resolve) => setTimeout(resolve, 20));
    const heldWhileInFlight = third === undefined;
    clock.advance(3_000);
    const ended = clock.now();
    first?.settled();
    await waiting;
    // Assess
    expect(heldWhileInFlight).toBe(true);
    expect(third).toBe(ended + 1000);
  });

  it('gives no slot, and takes none, when the next one would come after the deadline', async () => {
    // Prepare
    const clock = fakeClock();
    const budget = createLogCallBudget({ ratePerSecond: 1, now: clock.now, sleep: clock.sleep });
    const deadline = clock.now() + 500;
    (await budget.take(deadline))?.settled();
    // Act
    const late = await budget.take(deadline);
    // Assess
    expect(late).toBeUndefined();
    expect(budget.stats().granted).toBe(1);
    expect(clock.sleeps).toStrictEqual([]);
  });

  it('gives no slot when the deadline passes while it waits on a call still in flight', async () => {
    // Prepare
    const clock = fakeClock();
    const budget = createLogCallBudget({ ratePerSecond: 1, now: clock.now, sleep: clock.sleep });
    const inFlight = await budget.take(clock.now() + 60_000);
    const waiting = budget.take(clock.now() + 2_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Act: the call in flight ends only after the waiter's deadline.
    clock.advance(3_000);
    inFlight?.settled();
    // Assess
    expect(await waiting).toBeUndefined();
    expect(budget.stats().granted).toBe(1);
  });

  it('doubles the pause after each throttle in a row, up to the cap, and resets when answered', async () => {
    // Prepare
    const clock = fakeClock();
    const budget = createLogCallBudget({ ratePerSecond: 100, now: clock.now, sleep: clock.sleep });
    const deadline = clock.now() + 600_000;
    const pauseAfterThrottle = async () => {
      budget.throttled();
      const before = clock.now();
      (await budget.take(deadline))?.settled();
      return clock.now() - before;
    };
    // Act
    const pauses = [];
    for (let i = 0; i < 8; i++) pauses.push(await pauseAfterThrottle());
    budget.answered();
    const afterAnswer = await pauseAfterThrottle();
    // Assess
    const [first, cap] = VERIFY_DEFAULTS.throttleBackoffMs;
    expect(pauses.slice(0, 3)).toStrictEqual([first, 2 * first, 4 * first]);
    expect(Math.max(...pauses)).toBe(cap);
    expect(pauses.at(-1)).toBe(cap);
    expect(afterAnswer).toBe(first);
  });

  it('pauses only its own region when a call there is throttled', async () => {
    // Prepare
    const clock = fakeClock();
    const budgets = createRegionBudgets({ ratePerSecond: 2, now: clock.now, sleep: clock.sleep });
    const deadline = clock.now() + 60_000;
    const throttledRegion = budgets.of({ region: 'eu-west-1' });
    const otherRegion = budgets.of({ region: 'us-east-1' });
    (await throttledRegion.take(deadline))?.settled();
    // Act
    throttledRegion.throttled();
    const started = clock.now();
    (await otherRegion.take(deadline))?.settled();
    const otherAt = clock.now();
    (await throttledRegion.take(deadline))?.settled();
    const throttledAt = clock.now();
    // Assess
    expect(otherAt).toBe(started);
    expect(throttledAt - started).toBe(1_000);
    expect(budgets.stats().map((s) => s.region)).toStrictEqual(['eu-west-1', 'us-east-1']);
  });

  it('is one budget per region and account: the same region through another profile is another', () => {
    // Prepare
    const budgets = createRegionBudgets({ ratePerSecond: 2 });
    // Act
    const a = budgets.of({ region: 'eu-west-1' });
    const b = budgets.of({ region: 'eu-west-1' });
    const c = budgets.of({ region: 'eu-west-1', profile: 'other-account' });
    // Assess
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});
