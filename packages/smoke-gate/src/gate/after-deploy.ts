import type { AwsSettings } from '../aws/aws-clients.ts';
import { createCloudFormationClient } from '../aws/aws-clients.ts';
import type { Deadline } from '../core/deadline.ts';
import type { PluginLog } from '../core/framework.ts';
import { safeMessage } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE, recordedVerdictOf } from '../core/verdicts.ts';
import { type Books, openBooks, recordVerdict } from '../deployments/deployment-books.ts';
import {
  type Deployment,
  decideRollback,
  liveDeployment,
  type RollbackFacts,
} from '../deployments/deployment-history.ts';
import {
  type DeploymentIdentity,
  describeDeployment,
  type RecordedVerdict,
} from '../deployments/deployment-record.ts';
import { RecordsKeyPinError } from '../deployments/records-key.ts';
import { rollbackRefusal } from '../deployments/rollback-checks.ts';
import { waitForSettledStack } from '../deployments/stack-state.ts';
import { formatReport } from '../report/report.ts';
import type { VerificationOutcome } from '../verification/run-verification.ts';
import type { FrameworkStage, GateStep } from './gate-steps.ts';
import { asGateRollback } from './internal-rollback.ts';
import type { SmokeSettings } from './smoke-settings.ts';
import type { TrafficResult } from './traffic-gate.ts';

/** Everything the after-deploy step needs: one named context, not a list of parameters. */
export interface AfterDeployContext {
  framework: Pick<FrameworkStage, 'place' | 'spawnRollback'>;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
  settings: SmokeSettings;
  /** The verification of the deployment this command made. */
  outcome: VerificationOutcome;
  /** The deployment this command made, captured when the deploy step ended. */
  own?: DeploymentIdentity | undefined;
  /** The framework's AWS SDK config (region, credentials, endpoint). */
  aws: AwsSettings;
  /**
   * The gate's bound after a deploy: twice the timeout from the hook's start, the framework's own
   * rollback aside. The bookkeeping, the stack's settling and the restored verification end by it.
   */
  hookDeadline: Deadline;
  /** Runs the same verification again, with a deadline counted from `startedFrom`. */
  verify: (startedFrom: number) => Promise<VerificationOutcome>;
  env?: NodeJS.ProcessEnv;
  /** Told when the gate starts a rollback and verifies what it restored (for an interruption). */
  onStep?: ((step: GateStep) => void) | undefined;
  /**
   * The traffic mode's result (gate/traffic-gate.ts): the aliases already did what a stack
   * rollback would, so the verdict is recorded and the stack is left as it is.
   */
  traffic?: TrafficResult | undefined;
}

/** What the after-deploy step adds to the report, and the exit code when it changes it. */
export interface AfterDeployResult {
  rollback?: RollbackFacts;
  verdictNote?: string;
  exitCode?: number;
  /** Another deploy took over during the verification: both deployments, named. */
  superseded?: { own: DeploymentIdentity; live: DeploymentIdentity | null };
  /** The traffic mode: where the public route's callers are (which version `live` serves). */
  traffic?: string;
}

/** One line on what the rollback did. */
export const rollbackSummary = (rollback: RollbackFacts): string =>
  rollback.error !== null
    ? `Rollback to ${rollback.to} FAILED: ${rollback.error} Nothing was deleted; the failed deployment is still live.`
    : `Rolled back to the last verified deployment ${rollback.to} (verified ${rollback.toVerifiedAt}), which ${rollback.restored?.ok ? 'PASSES again' : 'FAILS too'}.`;

const superseded = (own: DeploymentIdentity, live: DeploymentIdentity | undefined) =>
  `could not judge: another deploy took over. This command deployed ${describeDeployment(own)}; the stack now runs ${live === undefined ? 'an unknown deployment' : describeDeployment(live)}. Nothing was recorded as verified and nothing was rolled back.`;

/** Rolls the stack back once, with the framework's own `rollback`, and verifies what it restored. */
async function rollBack(
  context: AfterDeployContext,
  books: Books,
  own: DeploymentIdentity,
  to: Deployment,
): Promise<AfterDeployResult> {
  const { log, framework, cliOptions } = context;
  const facts: RollbackFacts = {
    from: own.directory,
    to: to.directory,
    toVerifiedAt: to.verifiedAt,
    restored: null,
    error: null,
  };
  const cloudFormation = createCloudFormationClient(context.aws);
  const deadline = context.hookDeadline;
  const stack = await waitForSettledStack(cloudFormation, books.stack, deadline);
  if (!stack.ready) {
    facts.error = stack.message;
    return { rollback: facts, exitCode: stack.exitCode };
  }
  facts.error = (await rollbackRefusal(books, to)) ?? null;
  if (facts.error !== null) return { rollback: facts };
  // Right before acting: the stack must still run this command's deployment.
  const live = await liveDeployment(cloudFormation, books.stack, deadline);
  if (live?.directory !== own.directory) {
    const note = superseded(own, live);
    log.notice(note);
    return {
      verdictNote: note,
      exitCode: EXIT_COULD_NOT_JUDGE,
      superseded: { own, live: live ?? null },
    };
  }
  const { spawnRollback } = framework;
  if (spawnRollback === undefined) {
    facts.error = 'the framework offers no way to run its rollback from a plugin.';
    return { rollback: facts };
  }
  // Said once the rollback is about to start: every check before it passed.
  log.notice(
    `Rolling back: deployment ${own.directory} failed the smoke test; returning to ${to.directory}, verified ${to.verifiedAt}.`,
  );
  try {
    // The framework's own `serverless rollback --timestamp <t>`: same template, same artifacts.
    cliOptions.timestamp = String(to.timestamp);
    context.onStep?.({ step: 'rolling-back', to: to.directory });
    await asGateRollback(cliOptions, spawnRollback);
  } catch (error) {
    facts.error = `${safeMessage(error)}.`;
    return { rollback: facts };
  } finally {
    delete cliOptions.timestamp;
  }
  await recordVerdict(context, books, own, 'rolled-back', {
    outcome: context.outcome,
    rolledBackTo: to.directory,
  });
  // The restored deployment gets its own deadline, from now.
  context.onStep?.({ step: 'verifying-restored', to: to.directory });
  const restored = await context.verify(Date.now());
  facts.restored = restored.report ?? null;
  if (!context.settings.json && restored.report !== undefined) {
    log.notice(formatReport(restored.report).trimEnd());
  }
  const restoredIdentity = {
    directory: to.directory,
    commit: to.record?.commit ?? null,
    version: to.record?.version ?? null,
  };
  // What the restored deployment did now is recorded, passed or not: a deployment that fails its
  // re-verification is no longer one to return to.
  const again = { exitCode: restored.exitCode, verdict: restored.report?.verdict };
  await recordVerdict(context, books, restoredIdentity, recordedVerdictOf(again, 'restored'), {
    outcome: restored,
  });
  if (restored.report === undefined) {
    log.notice(`The restored deployment could not be verified: ${restored.error}`);
  }
  log.notice(rollbackSummary(facts));
  return { rollback: facts };
}

const verdictOf = (outcome: VerificationOutcome): RecordedVerdict =>
  recordedVerdictOf(
    { exitCode: outcome.exitCode, verdict: outcome.report?.verdict ?? outcome.verdict },
    'verified',
  );

/** After `serverless deploy`: record the verdict, or decide on and run the rollback. */
export async function afterDeploy(context: AfterDeployContext): Promise<AfterDeployResult> {
  const { log, outcome, settings } = context;
  let books: Books;
  try {
    books = await openBooks(context.framework.place, context.aws, context.hookDeadline);
  } catch (error) {
    const note = `deployment history unavailable (${safeMessage(error, 600)}): nothing recorded, no rollback.`;
    log.notice(note);
    // A pinned records key that does not hold is not a verdict the pipeline may pass on.
    return error instanceof RecordsKeyPinError
      ? { verdictNote: note, exitCode: EXIT_COULD_NOT_JUDGE }
      : { verdictNote: note };
  }
  for (const line of books.history.ignored) log.notice(line);
  if (books.history.rewound !== null) {
    // Writing now would move the anchor past the evidence: nothing is recorded or restored.
    const note = `the stage's records are untrusted (rewound): ${books.history.rewound}. Nothing was recorded and nothing was rolled back; see docs/signed-records.md.`;
    return { verdictNote: note, exitCode: EXIT_COULD_NOT_JUDGE };
  }
  const own = context.own ?? books.history.live;
  const decision = decideRollback({
    exitCode: outcome.exitCode,
    verdict: outcome.report?.verdict,
    enabled: settings.rollbackOnFailure,
    disabledBy: settings.rollbackDisabledBy,
    history: books.history,
    own,
  });
  if (decision.action === 'superseded') {
    const note = superseded(decision.own, decision.live);
    log.notice(note);
    await recordVerdict(context, books, decision.own, 'superseded', { outcome, note });
    return {
      verdictNote: note,
      exitCode: EXIT_COULD_NOT_JUDGE,
      superseded: { own: decision.own, live: decision.live ?? null },
    };
  }
  // Every verdict is recorded; a rollback then records what it did on top.
  const { traffic } = context;
  const functionVersion =
    traffic === undefined ? undefined : { number: traffic.version, codeSha256: traffic.codeSha256 };
  if (own !== undefined) {
    await recordVerdict(context, books, own, verdictOf(outcome), { outcome, functionVersion });
  }
  if (traffic !== undefined) return { verdictNote: traffic.note, traffic: traffic.note };
  if (decision.action === 'record') return {};
  if (decision.action === 'keep') {
    log.notice(`No rollback: ${decision.reason}`);
    return { verdictNote: `No rollback: ${decision.reason}` };
  }
  if (own === undefined)
    return { verdictNote: 'No rollback: the live deployment could not be identified.' };
  return rollBack(context, books, own, decision.to);
}
