import type { AwsSettings } from '../aws/aws-clients.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeMessage } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE, EXIT_FAILED, EXIT_VERIFIED } from '../core/verdicts.ts';
import { checkStatus, type StatusReport } from '../status/status.ts';
import type { FleetTarget } from './fleet-targets.ts';
import { type FleetReport, fleetExitCode, forEachTarget, type TargetShare } from './run-fleet.ts';

/** One target's continuous health in a `status` over many. */
export interface FleetStatusEntry {
  name: string;
  region: string | null;
  /** The AWS account its credentials act in; null if unknown. */
  account?: string | null;
  /** `error`: it could not be read (no stack, no access, a URL-only entry). */
  status: StatusReport['status'] | 'error';
  exitCode: number;
  error: string | null;
  report: StatusReport | null;
}

/** `status` over many targets, as printed by --json. */
export interface FleetStatusReport {
  ok: boolean;
  summary: { targets: number; healthy: number; unhealthy: number; couldNotJudge: number };
  targets: FleetStatusEntry[];
  logCalls: FleetReport['logCalls'];
  elapsedMs: number;
}

/** What `status` over many targets needs. */
export interface FleetStatusRequest {
  targets: FleetTarget[];
  aws: AwsSettings;
  env: NodeJS.ProcessEnv;
  deadline: Deadline;
  staleAfterMs: number;
  logsRatePerSecond?: number | undefined;
  now?: () => number;
}

/**
 * Reads every target's alarms and heartbeat ages under the one deadline, each region's
 * CloudWatch Logs calls within its budget. Same exit rule as verify: 1 if any is unhealthy, else
 * 2 if any could not be read, else 0.
 */
export async function checkFleetStatus(request: FleetStatusRequest): Promise<FleetStatusReport> {
  const now = request.now ?? Date.now;
  const started = now();
  const errorEntry = (target: FleetTarget, share: TargetShare, error: string) => ({
    name: target.name,
    region: share.aws.region ?? null,
    account: share.aws.account ?? null,
    status: 'error' as const,
    exitCode: EXIT_COULD_NOT_JUDGE,
    error,
    report: null,
  });
  const { entries, logCalls } = await forEachTarget<FleetStatusEntry>(
    request,
    async (target, share) => {
      const region = share.aws.region ?? null;
      const account = share.aws.account ?? null;
      try {
        const { stage, service } = target.request;
        if (stage === undefined) {
          throw new CouldNotJudgeError('status reads a stage: this entry names a url, not a stage');
        }
        const report = await checkStatus({
          stage,
          service,
          env: request.env,
          deadline: request.deadline,
          staleAfterMs: request.staleAfterMs,
          now: request.now,
          ...share,
        });
        const exitCode = report.ok ? EXIT_VERIFIED : EXIT_FAILED;
        return {
          name: target.name,
          region,
          account,
          status: report.status,
          exitCode,
          error: null,
          report,
        };
      } catch (error) {
        return errorEntry(
          target,
          share,
          error instanceof CouldNotJudgeError
            ? error.message
            : `could not read: ${safeMessage(error)}`,
        );
      }
    },
    errorEntry,
  );
  const count = (test: (entry: FleetStatusEntry) => boolean) => entries.filter(test).length;
  return {
    ok: fleetExitCode(entries) === EXIT_VERIFIED,
    summary: {
      targets: entries.length,
      healthy: count((entry) => entry.status === 'healthy'),
      // A target that could not be read is counted once, as could not judge.
      unhealthy: count((entry) => entry.status !== 'healthy' && entry.status !== 'error'),
      couldNotJudge: count((entry) => entry.status === 'error'),
    },
    targets: entries,
    logCalls,
    elapsedMs: now() - started,
  };
}
