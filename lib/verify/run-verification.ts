import { open, writeFile } from 'node:fs/promises';
import {
  type AwsSettings,
  checkRegion,
  createCloudFormationClient,
  createLogsClient,
} from './aws-clients.ts';
import { awsConfigurationError } from './aws-errors.ts';
import { cloudWatchLogSource } from './cloudwatch-log-source.ts';
import type { Deadline } from './deadline.ts';
import { EXIT_CONFIGURATION, EXIT_FAILED, EXIT_VERIFIED } from './defaults.ts';
import { ConfigurationError } from './errors.ts';
import type { LogSource } from './log-source.ts';
import { startOffline } from './offline.ts';
import { outputLogSource } from './output-log-source.ts';
import { formatJUnit, formatJUnitError } from './report.ts';
import { safeText } from './safe-text.ts';
import { checkTargetRequest, resolveTargets, type TargetRequest } from './targets.ts';
import { type VerifyReport, verifyDeployment } from './verify-deployment.ts';

/** Verify a deployed stack or explicit URL (CloudWatch Logs), or a local serverless-offline. */
export type VerificationTarget =
  | ({ kind: 'aws' } & TargetRequest)
  | { kind: 'local'; cwd: string; path?: string | undefined };

/** One verification, as the CLI, `serverless smoke` and the deploy hook ask for it. */
export interface VerificationRequest {
  target: VerificationTarget;
  aws: AwsSettings;
  env: NodeJS.ProcessEnv;
  /** The run's one deadline, started at the caller's first line. */
  deadline: Deadline;
  junitPath?: string | undefined;
  notFoundGraceMs?: number | undefined;
  onProgress?: (phase: 'http' | 'logs', detail: string) => void;
  onNotice?: (text: string) => void;
}

/** How it ended: the exit code, the report when verification ran, else the one-line error. */
export interface VerificationOutcome {
  exitCode: number;
  report?: VerifyReport;
  error?: string;
  /** Set when the JUnit file could not be written at the end (the verdict stands). */
  junitError?: string;
}

/** What to verify against, and what to stop afterwards. */
interface Resolved {
  url: string;
  logSource: LogSource;
  stop: () => Promise<void>;
}

/** Fails early, before any work, when the JUnit file could not be written later. */
async function checkWritable(path: string): Promise<void> {
  try {
    const handle = await open(path, 'a');
    await handle.close();
  } catch (error) {
    throw new ConfigurationError(
      `cannot write --junit file: ${safeText(error instanceof Error ? error.message : error)}`,
    );
  }
}

async function resolveLocal(
  target: Extract<VerificationTarget, { kind: 'local' }>,
  request: VerificationRequest,
): Promise<Resolved> {
  request.onNotice?.('Starting serverless-offline on free ports...');
  const server = await startOffline({
    cwd: target.cwd,
    stage: 'local',
    readyTimeoutMs: Math.max(request.deadline.remainingMs(), 1),
  }).catch((error: unknown) => {
    throw new ConfigurationError(
      `serverless-offline did not start before the deadline: ${safeText(error instanceof Error ? error.message.split('\n')[0] : error)}`,
    );
  });
  // The route as serverless-offline serves it (serverless.yml's healthPath), unless --path.
  const route = server.routes().find((r) => r.method === 'GET');
  const url =
    target.path !== undefined
      ? `${server.baseUrl}${target.path.startsWith('/') ? '' : '/'}${target.path}`
      : (route?.url ?? `${server.baseUrl}/health`);
  return { url, logSource: outputLogSource({ lines: server.lines }), stop: server.stop };
}

async function resolveAws(
  target: Extract<VerificationTarget, { kind: 'aws' }>,
  request: VerificationRequest,
): Promise<Resolved> {
  const { aws, deadline } = request;
  const checked = checkTargetRequest(target);
  await checkRegion(aws, request.env);
  const logs = createLogsClient(aws);
  // Region and credentials now, under the deadline: a slow credential_process cannot hang the run.
  const context = { what: 'AWS', region: aws.region, profile: aws.profile };
  try {
    await deadline.race(logs.config.region(), 'resolving the AWS region');
    await deadline.race(logs.config.credentials(), 'resolving AWS credentials');
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw awsConfigurationError(error, context);
  }
  const targets = await resolveTargets(checked, {
    cloudFormation: () => createCloudFormationClient(aws),
    deadline,
    region: aws.region,
    profile: aws.profile,
  });
  return {
    url: targets.url,
    logSource: cloudWatchLogSource({
      client: logs,
      logGroupName: targets.logGroupName,
      region: aws.region,
      profile: aws.profile,
    }),
    stop: async () => undefined,
  };
}

const exitCodeOf = (report: VerifyReport): number =>
  report.verdict === 'verified'
    ? EXIT_VERIFIED
    : report.verdict === 'failed'
      ? EXIT_FAILED
      : EXIT_CONFIGURATION;

/**
 * The one wiring path: checks the JUnit file, resolves the target (stack outputs, credentials or
 * serverless-offline), verifies, and writes JUnit — all under the request's deadline. Never
 * throws; every failure becomes an exit code and a one-line error.
 */
export async function runVerification(request: VerificationRequest): Promise<VerificationOutcome> {
  const junitPath = request.junitPath;
  let outcome: VerificationOutcome;
  let resolved: Resolved | undefined;
  try {
    if (junitPath !== undefined) await checkWritable(junitPath);
  } catch (error) {
    return { exitCode: EXIT_CONFIGURATION, error: (error as Error).message };
  }
  try {
    resolved =
      request.target.kind === 'local'
        ? await resolveLocal(request.target, request)
        : await resolveAws(request.target, request);
    const report = await verifyDeployment({
      url: resolved.url,
      logSource: resolved.logSource,
      deadline: request.deadline,
      notFoundGraceMs: request.notFoundGraceMs,
      onProgress: request.onProgress,
    });
    outcome = { exitCode: exitCodeOf(report), report };
  } catch (error) {
    outcome = {
      exitCode: EXIT_CONFIGURATION,
      error:
        error instanceof ConfigurationError
          ? error.message
          : `verification could not complete: ${safeText(error instanceof Error ? error.message : error)}`,
    };
  } finally {
    await resolved?.stop();
  }
  if (junitPath !== undefined) {
    const xml =
      outcome.report !== undefined
        ? formatJUnit(outcome.report)
        : formatJUnitError(outcome.error ?? 'verification did not run');
    try {
      await writeFile(junitPath, xml);
    } catch (error) {
      outcome.junitError = `cannot write --junit file: ${safeText(error instanceof Error ? error.message : error)}`;
    }
  }
  return outcome;
}
