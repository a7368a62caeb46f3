import { type AwsClients, type AwsSettings, sharedClients } from '../aws/aws-clients.ts';
import { createRegionBudgets, type LogCallBudget } from '../aws/log-call-budget.ts';
import { createRoleCache, type RoleCache } from '../aws/role-credentials.ts';
import type { SmokeContract } from '../core/contract.ts';
import type { Deadline } from '../core/deadline.ts';
import { MANY_TARGETS_DEFAULTS } from '../core/defaults.ts';
import { createLimit, type Limit } from '../core/limit.ts';
import { EXIT_COULD_NOT_JUDGE, EXIT_FAILED, EXIT_VERIFIED, VERDICTS } from '../core/verdicts.ts';
import { runVerification } from '../verification/run-verification.ts';
import type { Verdict, VerifyReport } from '../verification/verify-deployment.ts';
import type { FleetTarget } from './fleet-targets.ts';
import { runIdOf, targetAws } from './target-aws.ts';

/** One target's outcome in a run over many. */
export interface FleetEntry {
  name: string;
  region: string | null;
  /** The AWS account its credentials act in (asked once per set of credentials); null if unknown. */
  account?: string | null;
  /** `error`: the target could not be verified at all (no stack, no access); counts as could not judge. */
  verdict: Verdict | 'error';
  exitCode: number;
  error: string | null;
  report: VerifyReport | null;
}

/** A run over many targets, as printed by --json. */
export interface FleetReport {
  ok: boolean;
  verdict: Verdict;
  summary: {
    targets: number;
    verified: number;
    failed: number;
    couldNotJudge: number;
    /** Targets still running when a signal stopped the run (only when there are any). */
    interrupted?: number;
  };
  targets: FleetEntry[];
  /** CloudWatch Logs calls per region, and the most made in any one window (the budget's proof). */
  logCalls: {
    region: string;
    account?: string | null;
    calls: number;
    peakPerSecond: number;
    budgetPerSecond: number;
  }[];
  elapsedMs: number;
}

/** What a run over many targets needs. */
export interface FleetRequest {
  targets: FleetTarget[];
  /** The run's region (targets without their own), profile and endpoint. */
  aws: AwsSettings;
  env: NodeJS.ProcessEnv;
  deadline: Deadline;
  logsRatePerSecond?: number | undefined;
  concurrency?: number | undefined;
  notFoundGraceMs?: number | undefined;
  onNotice?: ((text: string) => void) | undefined;
  /** The contract of targets that carry none in their stack (bare URLs): `--contract`. */
  contract?: SmokeContract | undefined;
  /** Called as each target settles (progress), with its place in `targets`. */
  onSettled?: ((entry: FleetEntry, settled: number, index: number) => void) | undefined;
  now?: () => number;
}

/** Exit 1 if any target failed, else 2 if any could not be judged, else 0. */
export const fleetExitCode = (entries: { exitCode: number }[]): number =>
  entries.some((entry) => entry.exitCode === EXIT_FAILED)
    ? EXIT_FAILED
    : entries.some((entry) => entry.exitCode !== EXIT_VERIFIED)
      ? EXIT_COULD_NOT_JUDGE
      : EXIT_VERIFIED;

/** The verdict of the whole run, by the same rule as its exit code. */
const verdictOf = (code: number): Verdict =>
  code === EXIT_VERIFIED ? 'verified' : code === EXIT_FAILED ? 'failed' : 'inconclusive';

/** What each target's work gets: its AWS settings, the shared clients, its region's budget, the pool. */
export interface TargetShare {
  aws: AwsSettings;
  clients: AwsClients;
  budget: LogCallBudget;
  limit: Limit;
}

/**
 * Runs `work` for every target at once under the caller's deadline: clients shared per region,
 * one CloudWatch Logs budget per region (and account), one bounded pool. Entries come back in
 * the targets' order, with the budgets' counts.
 */
export async function forEachTarget<E>(
  request: Pick<
    FleetRequest,
    'targets' | 'aws' | 'logsRatePerSecond' | 'concurrency' | 'deadline'
  > & {
    env?: NodeJS.ProcessEnv | undefined;
    roles?: RoleCache | undefined;
  },
  work: (target: FleetTarget, share: TargetShare, index: number) => Promise<E>,
  refused: (target: FleetTarget, share: TargetShare, problem: string) => E,
): Promise<{ entries: E[]; logCalls: FleetReport['logCalls'] }> {
  const rate = request.logsRatePerSecond ?? MANY_TARGETS_DEFAULTS.logsRatePerSecond;
  const budgets = createRegionBudgets({ ratePerSecond: rate });
  const clients = sharedClients;
  const limit = createLimit(request.concurrency ?? MANY_TARGETS_DEFAULTS.targetConcurrency);
  const roles =
    request.roles ??
    createRoleCache({ runId: runIdOf(request.env ?? {}), deadline: request.deadline });
  const entries = await Promise.all(
    request.targets.map(async (target, index) => {
      const { aws, problem } = await targetAws(target, request.aws, roles);
      const share = { aws, clients, budget: budgets.of(aws), limit };
      return problem === undefined ? work(target, share, index) : refused(target, share, problem);
    }),
  );
  const logCalls = budgets.stats().map((stats) => ({
    region: stats.region,
    account: stats.account,
    calls: stats.granted,
    peakPerSecond: stats.peakPerWindow,
    budgetPerSecond: rate,
  }));
  return { entries, logCalls };
}

/**
 * Verifies many targets in one run: all under the one deadline, route calls and stack reads in
 * a bounded pool, and every CloudWatch Logs call within its region's budget, shared by all the
 * targets there (first come first served, so targets are searched in turn). One target's error
 * is that target's entry; the others are still verified and reported.
 */
export async function runFleet(request: FleetRequest): Promise<FleetReport> {
  const now = request.now ?? Date.now;
  const started = now();
  let settled = 0;
  const { entries, logCalls } = await forEachTarget(
    request,
    async (target, share, index) => {
      const outcome = await runVerification({
        target: { kind: 'aws', ...target.request },
        fallbackContract: request.contract,
        env: request.env,
        deadline: request.deadline,
        notFoundGraceMs: request.notFoundGraceMs,
        onNotice: request.onNotice,
        ...share,
      });
      const entry: FleetEntry = {
        name: target.name,
        region: share.aws.region ?? null,
        account: share.aws.account ?? null,
        verdict: outcome.report?.verdict ?? 'error',
        exitCode: outcome.exitCode,
        error: outcome.report === undefined ? (outcome.error ?? 'failed') : null,
        report: outcome.report ?? null,
      };
      request.onSettled?.(entry, ++settled, index);
      return entry;
    },
    (target, share, problem) => {
      const entry: FleetEntry = {
        name: target.name,
        region: share.aws.region ?? null,
        account: share.aws.account ?? null,
        verdict: 'error',
        exitCode: EXIT_COULD_NOT_JUDGE,
        error: problem,
        report: null,
      };
      request.onSettled?.(entry, ++settled, request.targets.indexOf(target));
      return entry;
    },
  );
  return fleetReportOf(entries, logCalls, now() - started);
}

/** A target a signal stopped before it settled. */
export const interruptedEntry = (
  target: Pick<FleetTarget, 'name' | 'region'>,
  region: string | undefined,
): FleetEntry => ({
  name: target.name,
  region: target.region ?? region ?? null,
  verdict: 'interrupted',
  exitCode: VERDICTS.interrupted.exitCode,
  error: 'interrupted before a verdict',
  report: null,
});

/** The report of a run from its entries: its verdict by the exit rule, or interrupted. */
export function fleetReportOf(
  entries: FleetEntry[],
  logCalls: FleetReport['logCalls'],
  elapsedMs: number,
): FleetReport {
  const code = fleetExitCode(entries);
  const count = (test: (entry: FleetEntry) => boolean) => entries.filter(test).length;
  const interrupted = count((entry) => entry.verdict === 'interrupted');
  return {
    ok: code === EXIT_VERIFIED && interrupted === 0,
    verdict: interrupted > 0 ? 'interrupted' : verdictOf(code),
    summary: {
      targets: entries.length,
      verified: count((entry) => entry.verdict === 'verified'),
      failed: count((entry) => entry.verdict === 'failed'),
      couldNotJudge: count(
        (entry) => entry.verdict === 'inconclusive' || entry.verdict === 'error',
      ),
      ...(interrupted > 0 ? { interrupted } : {}),
    },
    targets: entries,
    logCalls,
    elapsedMs,
  };
}
