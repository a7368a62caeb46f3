import { createCloudFormationClient, createS3Client } from './aws-clients.ts';
import { EXIT_VERIFIED } from './defaults.ts';
import {
  type Deployment,
  type DeploymentHistory,
  decideRollback,
  deploymentHistory,
  liveDeployment,
  type RollbackFacts,
  recordVerified,
} from './deployment-history.ts';
import type { PluginLog, ServerlessLike } from './framework.ts';
import { formatReport } from './report.ts';
import type { VerificationOutcome } from './run-verification.ts';
import { safeText } from './safe-text.ts';
import type { SmokeSettings } from './smoke-settings.ts';

/** Everything the after-deploy step needs: one named context, not a list of parameters. */
export interface AfterDeployContext {
  serverless: ServerlessLike;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
  settings: SmokeSettings;
  /** The verification of the deployment this command made. */
  outcome: VerificationOutcome;
  /** The framework's AWS SDK config (region, credentials, endpoint). */
  aws: Record<string, unknown>;
  /** Runs the same verification again, with a deadline counted from `startedFrom`. */
  verify: (startedFrom: number) => Promise<VerificationOutcome>;
}

/** What the after-deploy step adds to the report. */
export interface AfterDeployResult {
  rollback?: RollbackFacts;
  verdictNote?: string;
}

/** The deployment bucket, where deployments and verified markers live. */
interface Books {
  s3: ReturnType<typeof createS3Client>;
  bucket: string;
  prefix: string;
  history: DeploymentHistory;
}

const messageOf = (error: unknown) => safeText(error instanceof Error ? error.message : error);

/** Everything the deploy bookkeeping needs from the framework, or why it is not there. */
async function openBooks(serverless: ServerlessLike, aws: Record<string, unknown>): Promise<Books> {
  const provider = serverless.getProvider('aws');
  if (
    provider.getServerlessDeploymentBucketName === undefined ||
    provider.getDeploymentPrefix === undefined ||
    provider.getStage === undefined
  ) {
    throw new Error('this framework version exposes no deployment bucket to the plugin');
  }
  const bucket = await provider.getServerlessDeploymentBucketName();
  const prefix = `${provider.getDeploymentPrefix()}/${serverless.service.service}/${provider.getStage()}/`;
  const s3 = createS3Client({ base: aws });
  const stack = provider.naming.getStackName();
  const live = await liveDeployment(createCloudFormationClient({ base: aws }), stack);
  const history = await deploymentHistory(s3, bucket, prefix, live);
  return { s3, bucket, prefix, history };
}

/** Records a verified deployment; a failure to record is reported, never swallowed. */
async function record(
  context: AfterDeployContext,
  books: Books,
  deployment: string,
  outcome: VerificationOutcome,
): Promise<void> {
  await recordVerified(books.s3, books.bucket, books.prefix, deployment, {
    correlationId: outcome.report?.correlationId ?? '',
    url: outcome.report?.url ?? '',
  }).catch((error: unknown) =>
    context.log.notice(
      `could not record deployment ${deployment} as verified: ${messageOf(error)} (the verdict stands; the next rollback will not return to it)`,
    ),
  );
}

/** One line on what the rollback did. */
export const rollbackSummary = (rollback: RollbackFacts): string =>
  rollback.error !== null
    ? `Rollback to ${rollback.to} FAILED: ${rollback.error} Nothing was deleted; the failed deployment is still live.`
    : `Rolled back to the last verified deployment ${rollback.to} (verified ${rollback.toVerifiedAt}), which ${rollback.restored?.ok ? 'PASSES again' : 'FAILS too'}.`;

/** Rolls the stack back once, with the framework's own `rollback`, and verifies what it restored. */
async function rollBack(
  context: AfterDeployContext,
  books: Books,
  from: string | undefined,
  to: Deployment,
): Promise<RollbackFacts> {
  const { log, serverless, cliOptions } = context;
  const facts: RollbackFacts = {
    from: from ?? null,
    to: to.directory,
    toVerifiedAt: to.verifiedAt,
    restored: null,
    error: null,
  };
  log.notice(
    `Rolling back: deployment ${from ?? '(unknown)'} failed the smoke test; returning to ${to.directory}, verified ${to.verifiedAt}.`,
  );
  if (serverless.pluginManager === undefined) {
    facts.error = 'the framework offers no way to run its rollback from a plugin.';
    return facts;
  }
  try {
    // The framework's own `serverless rollback --timestamp <t>`: same template, same artifacts.
    cliOptions.timestamp = String(to.timestamp);
    await serverless.pluginManager.spawn('rollback');
  } catch (error) {
    facts.error = `${messageOf(error)}.`;
    return facts;
  } finally {
    delete cliOptions.timestamp;
  }
  // The restored deployment gets its own deadline, from now.
  const restored = await context.verify(Date.now());
  facts.restored = restored.report ?? null;
  if (!context.settings.json && restored.report !== undefined) {
    log.notice(formatReport(restored.report).trimEnd());
  }
  if (restored.exitCode === EXIT_VERIFIED) {
    await record(context, books, to.directory, restored);
  } else if (restored.report === undefined) {
    log.notice(`The restored deployment could not be verified: ${restored.error}`);
  }
  log.notice(rollbackSummary(facts));
  return facts;
}

/** After `serverless deploy`: record a pass, or decide on and run the rollback. */
export async function afterDeploy(context: AfterDeployContext): Promise<AfterDeployResult> {
  const { log, outcome, settings } = context;
  let books: Books;
  try {
    books = await openBooks(context.serverless, context.aws);
  } catch (error) {
    const note = `deployment history unavailable (${messageOf(error)}): nothing recorded, no rollback.`;
    log.notice(note);
    return { verdictNote: note };
  }
  const decision = decideRollback({
    exitCode: outcome.exitCode,
    verdict: outcome.report?.verdict,
    enabled: settings.rollbackOnFailure,
    disabledBy: settings.rollbackDisabledBy,
    history: books.history,
  });
  if (decision.action === 'record') {
    await record(context, books, decision.deployment, outcome);
    return {};
  }
  if (decision.action === 'keep') {
    log.notice(`No rollback: ${decision.reason}`);
    return { verdictNote: `No rollback: ${decision.reason}` };
  }
  return { rollback: await rollBack(context, books, decision.from, decision.to) };
}
