// The one table of verdicts and exit codes: what a verification concludes, what each command
// exits with, and what the gate records about a deployment. Later verdicts are added here.

/** Exit codes of `smoke-gate`, `serverless smoke` and the deploy hook. */
export const EXIT_VERIFIED = 0;
export const EXIT_FAILED = 1;
/** Could not judge: a bad request, an unreachable or throttled service, a deadline, a takeover. */
export const EXIT_COULD_NOT_JUDGE = 2;

/** The signals that stop a run: Ctrl-C (SIGINT) and a CI cancel or job timeout (SIGTERM too). */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Interrupted by a signal: 128 + the signal's number, as a shell reports it. */
export const EXIT_INTERRUPTED: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * A verification's verdicts (the JSON values), each with its exit code and its words in reports.
 * `inconclusive` is the domain's "could not judge".
 */
export const VERDICTS = {
  verified: { exitCode: EXIT_VERIFIED, words: 'verified' },
  failed: { exitCode: EXIT_FAILED, words: 'FAILED' },
  inconclusive: { exitCode: EXIT_COULD_NOT_JUDGE, words: 'could not judge' },
  /** Stopped by a signal before a verdict: exit 130 (SIGINT) or 143 (SIGTERM), 130 here. */
  interrupted: { exitCode: EXIT_INTERRUPTED.SIGINT, words: 'INTERRUPTED' },
} as const;

/** A verification's verdict. */
export type Verdict = keyof typeof VERDICTS;

/** The exit code of a verdict. */
export const exitCodeOf = (verdict: Verdict): number => VERDICTS[verdict].exitCode;

/** What the gate records about one deployment (the record's `verdict`). */
export const RECORDED_VERDICTS = [
  'verified',
  'failed',
  'rolled-back',
  'could-not-judge',
  'superseded',
  'restored',
  'interrupted',
] as const;
export type RecordedVerdict = (typeof RECORDED_VERDICTS)[number];

/**
 * The verdict to record for a verification that ended with `exitCode` (and `verdict` when it ran):
 * `passed` when it passed (`verified` after a deploy, `restored` after a rollback), `failed` for a
 * verdict of failure, else could not judge.
 */
export const recordedVerdictOf = (
  outcome: { exitCode: number; verdict?: Verdict | undefined },
  passed: 'verified' | 'restored',
): RecordedVerdict =>
  outcome.exitCode === EXIT_VERIFIED
    ? passed
    : outcome.verdict === 'failed'
      ? 'failed'
      : 'could-not-judge';

/** The verdicts a rollback returns to without `--force`: a deployment that passed its gate. */
export const PASSED_VERDICTS: readonly string[] = ['verified', 'restored'];
