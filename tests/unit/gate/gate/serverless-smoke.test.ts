import { describe, expect, it } from 'vitest';
import { gateBound } from '../../../../packages/smoke-gate/src/gate/serverless-smoke.ts';

describe('the gate’s stated bound after a deploy', () => {
  it('is the deadline, then twice it with a rollback, the framework’s own rollback aside', () => {
    expect(gateBound(120)).toBe(
      "Smoke test: deadline 120 s; with a rollback and its verification the gate ends within 240 s, plus the framework's own rollback while it runs.",
    );
  });

  it("adds a traffic shift's bake, in whole minutes, when the deploy shifts in steps", () => {
    expect(gateBound(120, 380_000)).toBe(
      "Smoke test: deadline 120 s; with a rollback and its verification the gate ends within 240 s, plus the traffic shift's bake (at most 7 min), plus the framework's own rollback while it runs.",
    );
  });
});
