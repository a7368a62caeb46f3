import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { describeStackTargets } from './aws.ts';
import { cloudWatchLogSource } from './cloudwatch-log-source.ts';
import { ConfigurationError } from './errors.ts';
import { formatReport } from './report.ts';
import { type VerifyReport, verifyDeployment } from './verify-deployment.ts';

/** The `custom.smokeTest` settings of serverless.yml. */
export interface SmokeSettings {
  /** Verify after `serverless deploy` (default true). */
  verifyAfterDeploy: boolean;
  /** Overall deadline in seconds (default 120). */
  timeout: number;
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
}

/** Reads `custom.smokeTest`, with a `--timeout` CLI option taking precedence. */
export function readSmokeSettings(custom: unknown, cliTimeout?: unknown): SmokeSettings {
  const settings =
    typeof custom === 'object' && custom !== null && 'smokeTest' in custom ? custom.smokeTest : {};
  const raw = typeof settings === 'object' && settings !== null ? settings : {};
  const verifyAfterDeploy = 'verifyAfterDeploy' in raw ? raw.verifyAfterDeploy !== false : true;
  const configured = 'timeout' in raw && typeof raw.timeout === 'number' ? raw.timeout : 120;
  const timeout = cliTimeout === undefined ? configured : Number(cliTimeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new ConfigurationError(
      `--timeout "${String(cliTimeout)}" must be a positive number of seconds`,
    );
  }
  return { verifyAfterDeploy, timeout };
}

/**
 * Runs the post-deploy verification with the framework's region, credentials and stack outputs.
 * Resolves when verified; throws {@link SmokeTestFailedError} otherwise.
 */
export async function runServerlessSmoke(input: {
  serverless: ServerlessLike;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
  trigger: 'command' | 'deploy';
}): Promise<VerifyReport | undefined> {
  const { serverless, log } = input;
  let report: VerifyReport;
  try {
    const settings = readSmokeSettings(serverless.service.custom, input.cliOptions.timeout);
    if (input.trigger === 'deploy' && !settings.verifyAfterDeploy) {
      log.notice('Smoke test skipped (custom.smokeTest.verifyAfterDeploy is false)');
      return undefined;
    }
    const provider = serverless.getProvider('aws');
    const config = await provider.getAwsSdkV3Config();
    const stack = provider.naming.getStackName();
    const targets = await describeStackTargets(new CloudFormationClient(config), stack);
    if (targets.url === undefined || targets.logGroupName === undefined) {
      throw new ConfigurationError(
        `stack ${stack} has no HealthEndpointUrl / HealthLogGroupName outputs: deploy this service first`,
      );
    }
    log.notice(`Smoke test: ${targets.url} -> ${targets.logGroupName}`);
    report = await verifyDeployment({
      url: targets.url,
      logSource: cloudWatchLogSource({
        client: new CloudWatchLogsClient(config),
        logGroupName: targets.logGroupName,
      }),
      timeoutMs: settings.timeout * 1000,
    });
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new SmokeTestFailedError(`Smoke test could not run: ${error.message}`);
    }
    throw error;
  }
  log.notice(formatReport(report).trimEnd());
  if (!report.ok) {
    throw new SmokeTestFailedError(
      `Smoke test failed for ${report.url} (correlation id ${report.correlationId}); see the report above`,
    );
  }
  log.success?.(`Smoke test passed in ${(report.elapsedMs / 1000).toFixed(1)} s`);
  return report;
}
