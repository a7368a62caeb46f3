import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AwsClients, AwsSettings } from '../aws/aws-clients.ts';
import type { LogCallBudget } from '../aws/log-call-budget.ts';
import type { SmokeContract } from '../core/contract.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { type Limit, unlimited } from '../core/limit.ts';
import { safeMessage } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE, exitCodeOf, type Verdict } from '../core/verdicts.ts';
import type { ResolvedTarget } from './log-source.ts';
import { resolveLocalTarget } from './offline.ts';
import { checkTargetRequest, resolveAwsTarget, type TargetRequest } from './targets.ts';
import { type VerifyReport, verifyDeployment } from './verify-deployment.ts';

/** Verify a deployed stack or explicit URL (CloudWatch Logs), or a local serverless-offline. */
export type VerificationTarget =
  | ({ kind: 'aws' } & TargetRequest)
  | { kind: 'local'; cwd: string; path?: string | undefined };

/** One verification, as the CLI, `serverless smoke` and the deploy hook ask for it. */
export interface VerificationRequest {
  target: VerificationTarget;
  /** The contract, when the caller knows it (the plugin); else the target's, else the defaults. */
  contract?: SmokeContract | undefined;
  /** Where `contract` comes from, as the report names it (`custom.smokeTest of serverless.yml`). */
  contractFrom?: string | undefined;
  /** The contract of a target that carries none (many targets: `--contract`). */
  fallbackContract?: SmokeContract | undefined;
  aws: AwsSettings;
  env: NodeJS.ProcessEnv;
  /** The run's one deadline, started at the caller's first line. */
  deadline: Deadline;
  /**
   * The JUnit file the caller writes when it is done (report/junit.ts: its report may add a
   * rollback): checked writable here, before anything runs.
   */
  junitPath?: string | undefined;
  notFoundGraceMs?: number | undefined;
  onProgress?: (phase: 'http' | 'logs', detail: string) => void;
  onNotice?: (text: string) => void;
  /** Many targets: clients shared per region, the region's log budget, the run's pool. */
  clients?: AwsClients | undefined;
  budget?: LogCallBudget | undefined;
  limit?: Limit | undefined;
}

/** How it ended: the exit code, the report when verification ran, else the one-line error. */
export interface VerificationOutcome {
  exitCode: number;
  report?: VerifyReport;
  error?: string;
  /** A verdict reached without a report of its own (a traffic shift stopped by its watch). */
  verdict?: Verdict | undefined;
  /** True when the request itself was wrong (a flag, a URL): nothing was called. */
  badRequest?: boolean;
}

/** Checks before any call that the JUnit file can be written at the end. */
export async function checkJUnitPath(path: string | undefined): Promise<void> {
  if (path === undefined) return;
  try {
    // The report folder is made when missing (a CI step's `reports/`), as test runners do.
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'a');
    await handle.close();
  } catch (error) {
    throw new CouldNotJudgeError(`cannot write --junit file: ${safeMessage(error)}`);
  }
}

/** Check: the target's URL and log group, and that the JUnit file can be written later. */
async function checkRequest(request: VerificationRequest): Promise<VerificationTarget> {
  await checkJUnitPath(request.junitPath);
  const { target } = request;
  return target.kind === 'aws' ? { kind: 'aws', ...checkTargetRequest(target) } : target;
}

/** Resolve: where the route is and where its line lands. */
const resolveTarget = (
  target: VerificationTarget,
  request: VerificationRequest,
): Promise<ResolvedTarget> =>
  target.kind === 'local'
    ? resolveLocalTarget({ ...target, deadline: request.deadline, onNotice: request.onNotice })
    : resolveAwsTarget(target, request);

/** What the contract's defaults check, as a report names them. */
export const DEFAULTS_JUDGE =
  'the defaults (no contract given): HTTP 200, and one line in any format whose correlation_id is the id sent; nothing of the body';

/** The contract a verification judges by, and where it comes from, in words. */
export function chosenContract(
  request: Pick<VerificationRequest, 'contract' | 'contractFrom' | 'fallbackContract'>,
  fromStack: SmokeContract | undefined,
): { contract: SmokeContract | undefined; from: string } {
  if (request.contract !== undefined) {
    return { contract: request.contract, from: request.contractFrom ?? 'the contract given' };
  }
  if (fromStack !== undefined) {
    return {
      contract: fromStack,
      from: "the stack's (its template's Metadata.SmokeGate.Contract)",
    };
  }
  if (request.fallbackContract !== undefined) {
    return { contract: request.fallbackContract, from: request.contractFrom ?? '--contract' };
  }
  return { contract: undefined, from: DEFAULTS_JUDGE };
}

/**
 * The one road from options to a verdict, for the CLI, `serverless smoke` and the deploy hook:
 * check -> resolve -> verify, all under the request's deadline. Never throws; every failure
 * becomes an exit code and a one-line error. The caller writes the reports.
 */
export async function runVerification(request: VerificationRequest): Promise<VerificationOutcome> {
  let target: VerificationTarget;
  try {
    target = await checkRequest(request);
  } catch (error) {
    return { exitCode: EXIT_COULD_NOT_JUDGE, error: safeMessage(error), badRequest: true };
  }
  let outcome: VerificationOutcome;
  let resolved: ResolvedTarget | undefined;
  try {
    const limit = request.limit ?? unlimited;
    const known = request.contract !== undefined;
    const asked: VerificationTarget =
      target.kind === 'aws' ? { ...target, readContract: !known } : target;
    resolved = await limit(() => resolveTarget(asked, request));
    const judgedBy = chosenContract(request, resolved.contract);
    const report = await verifyDeployment({
      url: resolved.url,
      logSource: resolved.logSource,
      contract: judgedBy.contract,
      deadline: request.deadline,
      notFoundGraceMs: request.notFoundGraceMs,
      onProgress: request.onProgress,
      limit,
    });
    outcome = {
      exitCode: exitCodeOf(report.verdict),
      report: { ...report, contract: judgedBy.from },
    };
  } catch (error) {
    outcome = {
      exitCode: EXIT_COULD_NOT_JUDGE,
      error:
        error instanceof CouldNotJudgeError
          ? error.message
          : `verification could not complete: ${safeMessage(error)}`,
    };
  } finally {
    await resolved?.stop();
  }
  return outcome;
}
