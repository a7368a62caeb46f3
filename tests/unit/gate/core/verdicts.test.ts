import { describe, expect, it } from 'vitest';
import {
  EXIT_COULD_NOT_JUDGE,
  EXIT_FAILED,
  EXIT_INTERRUPTED,
  EXIT_VERIFIED,
  exitCodeOf,
  recordedVerdictOf,
  VERDICTS,
} from '../../../../packages/smoke-gate/src/core/verdicts.ts';

describe('the one table of verdicts', () => {
  it('exits 0 verified, 1 failed, 2 could not judge (the documented contract)', () => {
    expect([EXIT_VERIFIED, EXIT_FAILED, EXIT_COULD_NOT_JUDGE]).toStrictEqual([0, 1, 2]);
    expect(
      Object.keys(VERDICTS).map((v) => [v, exitCodeOf(v as keyof typeof VERDICTS)]),
    ).toStrictEqual([
      ['verified', 0],
      ['failed', 1],
      ['inconclusive', 2],
      ['interrupted', 130],
    ]);
    expect(VERDICTS.inconclusive.words).toBe('could not judge');
  });

  it('exits 130 on SIGINT and 143 on SIGTERM, as a shell reports a signal (128 + its number)', () => {
    expect(EXIT_INTERRUPTED).toStrictEqual({ SIGINT: 130, SIGTERM: 143 });
  });

  it.each([
    [{ exitCode: 0, verdict: 'verified' as const }, 'verified', 'verified'],
    [{ exitCode: 0, verdict: 'verified' as const }, 'restored', 'restored'],
    [{ exitCode: 1, verdict: 'failed' as const }, 'verified', 'failed'],
    [{ exitCode: 2, verdict: 'inconclusive' as const }, 'verified', 'could-not-judge'],
    // A bad request or a deadline before any verdict: nothing was judged.
    [{ exitCode: 2, verdict: undefined }, 'restored', 'could-not-judge'],
    // Exit 1 without a failed verdict never records a failure.
    [{ exitCode: 1, verdict: undefined }, 'verified', 'could-not-judge'],
  ] as const)('records %j after %s as %s', (outcome, passed, recorded) => {
    expect(recordedVerdictOf(outcome, passed)).toBe(recorded);
  });
});
