import { describe, expect, it } from 'vitest';
import { gateBound } from '../../../../packages/smoke-gate/src/gate/serverless-smoke.ts';

describe('the gate’s stated bound after a deploy', () => {
  it('is the deadline, then twice it with a rollback, the framework’s own rollback aside', () => {
    expect(gateBound(120)).toBe(
      "Smoke test: deadline 120 s; with a rollback and its verification the gate ends within 240 s, plus the framework's own rollback while it runs.",
    );
  });
});
