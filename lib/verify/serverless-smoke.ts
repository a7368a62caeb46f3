import { createDeadline } from './deadline.ts';
import { EXIT_CONFIGURATION, EXIT_VERIFIED, VERIFY_DEFAULTS } from './defaults.ts';
import type { ConfigurationError } from './errors.ts';
import { formatReport } from './report.ts';
import { runVerification, type VerificationOutcome } from './run-verification.ts';
import { parseTimeoutSeconds } from './timeout.ts';

/** The `custom.smokeTest` settings of serverless.yml, with the command line applied. */
export interface SmokeSettings {
  /** Verify after `serverless deploy` (custom.smokeTest.verifyAfterDeploy, --skip-smoke). */
  verifyAfterDeploy: boolean;
  /** Overall deadline in seconds (custom.smokeTest.timeout, --timeout). */
  timeoutSeconds: number;
  /** Where the command was told to skip, for the notice. */
  skippedBy: string | undefined;
}

/** What the plugin uses of the framework: settings, region, credentials and the stack name. */
export interface ServerlessLike {
  service: { custom?: Record<string, unknown> | null };
  getProvider(name: 'aws'): {
    getAwsSdkV3Config(): Promise<Record<string, unknown>>;
    naming: { getStackName(): string };
  };
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

/** Reads `custom.smokeTest` and the command line's `--timeout` / `--skip-smoke`. */
export function readSmokeSettings(
  custom: unknown,
  cliOptions: Record<string, unknown> = {},
): SmokeSettings {
  const raw = isRecord(custom) && isRecord(custom.smokeTest) ? custom.smokeTest : {};
  const configured = raw.verifyAfterDeploy !== false;
  const skipFlag = cliOptions['skip-smoke'] === true || cliOptions['skip-smoke'] === 'true';
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
  };
}

/** Input of {@link runServerlessSmoke}. */
export interface ServerlessSmokeInput {
  serverless: ServerlessLike;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
  trigger: 'command' | 'deploy';
  /** When the hook started: the deadline counts from here. */
  startedAt?: number;
  /** Where `--json` writes the one JSON object (default process.stdout). */
  stdout?: { write(text: string): unknown };
}

/**
 * `serverless smoke` and the deploy hook: the same verification as the CLI, with the framework's
 * region, credentials and stack. Resolves with the outcome when verified (or skipped: undefined);
 * throws {@link SmokeTestFailedError} carrying the CLI's exit code otherwise.
 */
export async function runServerlessSmoke(
  input: ServerlessSmokeInput,
): Promise<VerificationOutcome | undefined> {
  const { serverless, log, cliOptions } = input;
  const startedAt = input.startedAt ?? Date.now();
  let settings: SmokeSettings;
  try {
    settings = readSmokeSettings(serverless.service.custom, cliOptions);
  } catch (error) {
    throw new SmokeTestFailedError(
      `Smoke test could not run: ${(error as ConfigurationError).message}`,
      EXIT_CONFIGURATION,
    );
  }
  if (input.trigger === 'deploy' && !settings.verifyAfterDeploy) {
    log.notice(`Smoke test skipped (${settings.skippedBy})`);
    return undefined;
  }
  const provider = serverless.getProvider('aws');
  const stackName = provider.naming.getStackName();
  const outcome = await runVerification({
    target: { kind: 'aws', stackName, service: VERIFY_DEFAULTS.service },
    aws: { base: await provider.getAwsSdkV3Config() },
    env: process.env,
    deadline: createDeadline(startedAt + settings.timeoutSeconds * 1000),
    junitPath: typeof cliOptions.junit === 'string' ? cliOptions.junit : undefined,
    // Right after a stack update a new route can answer 404 for a few seconds.
    notFoundGraceMs: input.trigger === 'deploy' ? VERIFY_DEFAULTS.deployNotFoundGraceMs : 0,
    onNotice: (text) => log.notice(text),
  });
  if (outcome.junitError !== undefined) log.notice(outcome.junitError);
  if (cliOptions.json === true) {
    (input.stdout ?? process.stdout).write(
      `${JSON.stringify(outcome.report ?? { ok: false, verdict: 'error', error: { exitCode: outcome.exitCode, message: outcome.error } })}\n`,
    );
  } else if (outcome.report !== undefined) {
    log.notice(formatReport(outcome.report).trimEnd());
  }
  if (outcome.exitCode === EXIT_VERIFIED) {
    log.success?.(
      `Smoke test passed in ${((outcome.report?.elapsedMs ?? 0) / 1000).toFixed(1)} s (${stackName})`,
    );
    return outcome;
  }
  const report = outcome.report;
  throw new SmokeTestFailedError(
    report === undefined
      ? `Smoke test could not run: ${outcome.error}`
      : report.verdict === 'inconclusive'
        ? `Smoke test could not judge ${report.url} (correlation id ${report.correlationId}); see the report above`
        : `Smoke test failed for ${report.url} (correlation id ${report.correlationId}); see the report above`,
    outcome.exitCode,
  );
}
