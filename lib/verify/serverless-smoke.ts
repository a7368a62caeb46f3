import { writeFile } from 'node:fs/promises';
import { S3Client } from '@aws-sdk/client-s3';
import { createCloudFormationClient } from './aws-clients.ts';
import { createDeadline } from './deadline.ts';
import { EXIT_CONFIGURATION, EXIT_FAILED, EXIT_VERIFIED, VERIFY_DEFAULTS } from './defaults.ts';
import type { ConfigurationError } from './errors.ts';
import { formatJUnitSuite, formatReport, junitCases } from './report.ts';
import {
  type Deployment,
  decideRollback,
  deploymentHistory,
  liveDeployment,
  recordVerified,
} from './rollback.ts';
import { runVerification, type VerificationOutcome } from './run-verification.ts';
import { safeText } from './safe-text.ts';
import { parseTimeoutSeconds } from './timeout.ts';
import type { VerifyReport } from './verify-deployment.ts';

/** The `custom.smokeTest` settings of serverless.yml, with the command line applied. */
export interface SmokeSettings {
  /** Verify after `serverless deploy` (custom.smokeTest.verifyAfterDeploy, --skip-smoke). */
  verifyAfterDeploy: boolean;
  /** Overall deadline in seconds (custom.smokeTest.timeout, --timeout). */
  timeoutSeconds: number;
  /** Where the command was told to skip, for the notice. */
  skippedBy: string | undefined;
  /** Roll back a deploy that fails (custom.smokeTest.rollbackOnFailure, --skip-rollback). */
  rollbackOnFailure: boolean;
  rollbackDisabledBy: string | undefined;
}

/** What the plugin uses of the framework: settings, region, credentials, stack and bucket. */
export interface ServerlessLike {
  service: { service?: string; custom?: Record<string, unknown> | null };
  getProvider(name: 'aws'): {
    getAwsSdkV3Config(): Promise<Record<string, unknown>>;
    naming: { getStackName(): string };
    getServerlessDeploymentBucketName?(): Promise<string>;
    getDeploymentPrefix?(): string;
    getStage?(): string;
  };
  /** Runs another framework command's lifecycle (here: `rollback`). */
  pluginManager?: { spawn(command: string): Promise<unknown> };
}

/** The framework's logger (the plugin's third constructor argument). */
export interface PluginLog {
  notice(message: string): void;
  success?(message: string): void;
  error?(message: string): void;
}

/** Thrown to make the serverless command exit non-zero; the framework prints the message. */
export class SmokeTestFailedError extends Error {
  override name = 'SmokeTestFailedError';
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const flag = (options: Record<string, unknown>, name: string) =>
  options[name] === true || options[name] === 'true';

/** Reads `custom.smokeTest` and the command line's `--timeout`, `--skip-smoke`, `--skip-rollback`. */
export function readSmokeSettings(
  custom: unknown,
  cliOptions: Record<string, unknown> = {},
): SmokeSettings {
  const raw = isRecord(custom) && isRecord(custom.smokeTest) ? custom.smokeTest : {};
  const configured = raw.verifyAfterDeploy !== false;
  const skipFlag = flag(cliOptions, 'skip-smoke');
  const rollbackConfigured = raw.rollbackOnFailure !== false;
  const skipRollback = flag(cliOptions, 'skip-rollback');
  const timeoutSeconds =
    cliOptions.timeout !== undefined
      ? parseTimeoutSeconds(cliOptions.timeout, '--timeout')
      : parseTimeoutSeconds(raw.timeout, 'custom.smokeTest.timeout');
  return {
    verifyAfterDeploy: configured && !skipFlag,
    timeoutSeconds,
    skippedBy: skipFlag
      ? '--skip-smoke'
      : configured
        ? undefined
        : 'custom.smokeTest.verifyAfterDeploy is false',
    rollbackOnFailure: rollbackConfigured && !skipRollback,
    rollbackDisabledBy: skipRollback
      ? '--skip-rollback'
      : rollbackConfigured
        ? undefined
        : 'custom.smokeTest.rollbackOnFailure: false',
  };
}

/** Where the verification runs from: `serverless smoke`, after `deploy`, or `deploy function`. */
export type SmokeTrigger = 'command' | 'deploy' | 'deploy-function';

/** Input of {@link runServerlessSmoke}. */
export interface ServerlessSmokeInput {
  serverless: ServerlessLike;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
  trigger: SmokeTrigger;
  /** When the hook started: the deadline counts from here. */
  startedAt?: number;
  /** Where `--json` writes the one JSON object (default process.stdout). */
  stdout?: { write(text: string): unknown };
}

/** What a rollback did, as `--json` carries it. */
export interface RollbackFacts {
  from: string | null;
  to: string;
  toVerifiedAt: string | null;
  /** The restored deployment's verification; null when the rollback itself failed. */
  restored: VerifyReport | null;
  error: string | null;
}

/** Everything the deploy bookkeeping needs from the framework, or why it is not there. */
async function bookkeeping(serverless: ServerlessLike, config: Record<string, unknown>) {
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
  const s3 = new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined });
  const stack = provider.naming.getStackName();
  const live = await liveDeployment(createCloudFormationClient({ base: config }), stack);
  const history = await deploymentHistory(s3, bucket, prefix, live);
  return { s3, bucket, prefix, history };
}

const reportText = (report: VerifyReport | undefined) =>
  report === undefined ? '' : formatReport(report).trimEnd();

/**
 * `serverless smoke`, the deploy hook and the `deploy function` hook: the same verification as
 * the CLI, with the framework's region, credentials and stack. After `serverless deploy`, a
 * verified deployment is recorded in the deployment bucket, and a definitive FAIL rolls the
 * stack back to the last verified deployment, which is then verified again. Resolves when
 * verified (or skipped: undefined); throws {@link SmokeTestFailedError} with the CLI's exit code
 * otherwise.
 */
export async function runServerlessSmoke(
  input: ServerlessSmokeInput,
): Promise<VerificationOutcome | undefined> {
  const { serverless, log, cliOptions } = input;
  const startedAt = input.startedAt ?? Date.now();
  const stdout = input.stdout ?? process.stdout;
  let settings: SmokeSettings;
  try {
    settings = readSmokeSettings(serverless.service.custom, cliOptions);
  } catch (error) {
    throw new SmokeTestFailedError(
      `Smoke test could not run: ${(error as ConfigurationError).message}`,
      EXIT_CONFIGURATION,
    );
  }
  if (input.trigger !== 'command' && !settings.verifyAfterDeploy) {
    log.notice(`Smoke test skipped (${settings.skippedBy})`);
    return undefined;
  }
  const provider = serverless.getProvider('aws');
  const stackName = provider.naming.getStackName();
  const config = await provider.getAwsSdkV3Config();
  const junitPath = typeof cliOptions.junit === 'string' ? cliOptions.junit : undefined;
  const verify = (startedFrom: number) =>
    runVerification({
      target: { kind: 'aws', stackName, service: VERIFY_DEFAULTS.service },
      aws: { base: config },
      env: process.env,
      deadline: createDeadline(startedFrom + settings.timeoutSeconds * 1000),
      junitPath,
      // Right after a stack update a new route can answer 404 for a few seconds.
      notFoundGraceMs: input.trigger === 'command' ? 0 : VERIFY_DEFAULTS.deployNotFoundGraceMs,
      onNotice: (text) => log.notice(text),
    });
  const outcome = await verify(startedAt);
  if (outcome.junitError !== undefined) log.notice(outcome.junitError);
  const json = cliOptions.json === true;
  if (!json && outcome.report !== undefined) log.notice(reportText(outcome.report));

  let rollback: RollbackFacts | undefined;
  let verdictNote: string | undefined;
  if (input.trigger === 'deploy') {
    ({ rollback, verdictNote } = await afterDeploy(input, settings, outcome, config, verify, json));
  } else if (input.trigger === 'deploy-function' && outcome.exitCode === EXIT_FAILED) {
    verdictNote =
      'code-only deploy (`deploy function`): no automatic rollback, as that would need published versions; `serverless deploy --force` redeploys the whole service from source.';
    log.notice(verdictNote);
  }

  if (junitPath !== undefined && rollback !== undefined && outcome.report !== undefined) {
    await writeFile(junitPath, formatRollbackJUnit(outcome.report, rollback)).catch(
      (error: unknown) => log.notice(`cannot write --junit file: ${safeText(String(error))}`),
    );
  }
  if (json) {
    stdout.write(
      `${JSON.stringify({
        ...(outcome.report ?? {
          ok: false,
          verdict: 'error',
          error: { exitCode: outcome.exitCode, message: outcome.error },
        }),
        ...(rollback === undefined ? {} : { rollback }),
        ...(verdictNote === undefined ? {} : { note: verdictNote }),
      })}\n`,
    );
  }
  if (outcome.exitCode === EXIT_VERIFIED) {
    log.success?.(
      `Smoke test passed in ${((outcome.report?.elapsedMs ?? 0) / 1000).toFixed(1)} s (${stackName})`,
    );
    return outcome;
  }
  const report = outcome.report;
  const failed =
    report === undefined
      ? `Smoke test could not run: ${outcome.error}`
      : report.verdict === 'inconclusive'
        ? `Smoke test could not judge ${report.url} (correlation id ${report.correlationId}); see the report above`
        : `Smoke test failed for ${report.url} (correlation id ${report.correlationId}); see the report above`;
  throw new SmokeTestFailedError(
    rollback === undefined ? failed : `${failed}. ${rollbackSummary(rollback)}`,
    outcome.exitCode,
  );
}

/** One line on what the rollback did. */
const rollbackSummary = (rollback: RollbackFacts): string =>
  rollback.error !== null
    ? `Rollback to ${rollback.to} FAILED: ${rollback.error} Nothing was deleted; the failed deployment is still live.`
    : `Rolled back to the last verified deployment ${rollback.to} (verified ${rollback.toVerifiedAt}), which ${rollback.restored?.ok ? 'PASSES again' : 'FAILS too'}.`;

/** After `serverless deploy`: record a pass, or decide on and run the rollback. */
async function afterDeploy(
  input: ServerlessSmokeInput,
  settings: SmokeSettings,
  outcome: VerificationOutcome,
  config: Record<string, unknown>,
  verify: (startedFrom: number) => Promise<VerificationOutcome>,
  json: boolean,
): Promise<{ rollback?: RollbackFacts; verdictNote?: string }> {
  const { log, serverless } = input;
  let books: Awaited<ReturnType<typeof bookkeeping>>;
  try {
    books = await bookkeeping(serverless, config);
  } catch (error) {
    const note = `deployment history unavailable (${safeText(error instanceof Error ? error.message : error)}): nothing recorded, no rollback.`;
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
    await recordVerified(books.s3, books.bucket, books.prefix, decision.deployment, {
      correlationId: outcome.report?.correlationId ?? '',
      url: outcome.report?.url ?? '',
    }).catch((error: unknown) =>
      log.notice(`could not record the verified deployment: ${safeText(String(error))}`),
    );
    return {};
  }
  if (decision.action === 'keep') {
    log.notice(`No rollback: ${decision.reason}`);
    return { verdictNote: `No rollback: ${decision.reason}` };
  }
  return { rollback: await rollBack(input, decision.from, decision.to, verify, books, json) };
}

/** Rolls the stack back once, with the framework's own `rollback`, and verifies what it restored. */
async function rollBack(
  input: ServerlessSmokeInput,
  from: string | undefined,
  to: Deployment,
  verify: (startedFrom: number) => Promise<VerificationOutcome>,
  books: Awaited<ReturnType<typeof bookkeeping>>,
  json: boolean,
): Promise<RollbackFacts> {
  const { log, serverless, cliOptions } = input;
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
    facts.error = `${safeText(error instanceof Error ? error.message : error)}.`;
    return facts;
  } finally {
    delete cliOptions.timestamp;
  }
  // The restored deployment gets its own deadline, from now.
  const restored = await verify(Date.now());
  facts.restored = restored.report ?? null;
  if (!json && restored.report !== undefined) log.notice(reportText(restored.report));
  if (restored.exitCode === EXIT_VERIFIED) {
    await recordVerified(books.s3, books.bucket, books.prefix, to.directory, {
      correlationId: restored.report?.correlationId ?? '',
      url: restored.report?.url ?? '',
    }).catch(() => undefined);
  } else if (restored.report === undefined) {
    log.notice(`The restored deployment could not be verified: ${restored.error}`);
  }
  log.notice(rollbackSummary(facts));
  return facts;
}

/** JUnit with both verdicts: the failed deployment, the rollback, and the restored one. */
export function formatRollbackJUnit(failed: VerifyReport, rollback: RollbackFacts): string {
  const cases = [
    ...junitCases(failed, `deployment ${rollback.from ?? '(unknown)'}: `),
    {
      name: `rollback to ${rollback.to} (verified ${rollback.toVerifiedAt})`,
      ok: rollback.error === null,
      problems: rollback.error === null ? [] : [rollback.error],
      timeSeconds: 0,
    },
    ...(rollback.restored === null
      ? []
      : junitCases(rollback.restored, `restored deployment ${rollback.to}: `)),
  ];
  return formatJUnitSuite(
    `deploy ${failed.url}`,
    cases,
    failed.elapsedMs + (rollback.restored?.elapsedMs ?? 0),
    { correlationId: failed.correlationId, verdict: failed.verdict, rolledBackTo: rollback.to },
  );
}
