import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { closest } from '../core/closest.ts';
import { ConfigurationError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';

/** Where and as whom to call AWS; unset fields fall back to the SDK's chain and env vars. */
export interface AwsSettings {
  region?: string | undefined;
  profile?: string | undefined;
  /** One endpoint for CloudWatch Logs, CloudWatch and CloudFormation (a local stand-in). */
  endpoint?: string | undefined;
  /** A client config from the framework (credentials provider, region…), e.g. getAwsSdkV3Config. */
  base?: Record<string, unknown> | undefined;
}

/** The AWS settings of the CLI's flags and environment, as the AWS CLI reads them. */
export function awsSettingsFrom(
  flags: {
    region?: string | undefined;
    profile?: string | undefined;
    endpoint?: string | undefined;
  },
  env: NodeJS.ProcessEnv,
): AwsSettings {
  const nonEmpty = (value: string | undefined) => (value === '' ? undefined : value);
  return {
    region: flags.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
    profile: flags.profile,
    endpoint: flags.endpoint,
  };
}

/** The SDK client config of these settings. */
export const clientConfig = (settings: AwsSettings) => ({
  ...settings.base,
  ...(settings.region === undefined ? {} : { region: settings.region }),
  ...(settings.profile === undefined ? {} : { profile: settings.profile }),
  ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
});

/**
 * A CloudWatch Logs client that makes one attempt per call: the verifier's own loop owns retries,
 * pacing and backoff, so the SDK's retries never stack on top of it.
 */
export const createLogsClient = (settings: AwsSettings): CloudWatchLogsClient =>
  new CloudWatchLogsClient({ ...clientConfig(settings), maxAttempts: 1 });

/** A CloudFormation client with the same region, credentials and endpoint. */
export const createCloudFormationClient = (settings: AwsSettings): CloudFormationClient =>
  new CloudFormationClient({ ...clientConfig(settings), maxAttempts: 2 });

/**
 * The clients of one run, made once per region and account and shared by all its targets.
 * CloudWatch (alarms) and S3 live in their own modules, loaded only by the commands that use
 * them: each SDK client costs several MB of memory to load.
 */
export interface AwsClients {
  logs(settings: AwsSettings): CloudWatchLogsClient;
  cloudFormation(settings: AwsSettings): CloudFormationClient;
}

/** Makes clients on first use and shares them by region, profile and endpoint. */
export function createClientCache(): AwsClients {
  const made = new Map<string, unknown>();
  const shared =
    <T>(kind: string, create: (settings: AwsSettings) => T) =>
    (settings: AwsSettings): T => {
      const key = JSON.stringify([kind, settings.region, settings.profile, settings.endpoint]);
      if (!made.has(key)) made.set(key, create(settings));
      return made.get(key) as T;
    };
  return {
    logs: shared('logs', createLogsClient),
    cloudFormation: shared('cloudformation', createCloudFormationClient),
  };
}

/** One run's clients, each made fresh (one target: nothing to share). */
export const freshClients: AwsClients = {
  logs: createLogsClient,
  cloudFormation: createCloudFormationClient,
};

/** The regions the installed AWS SDK knows, from its own partitions table. */
async function knownRegions(): Promise<Set<string> | undefined> {
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@aws-sdk/core/package.json'));
    const file = join(root, 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js');
    const { partitionsInfo } = (await import(pathToFileURL(file).href)) as {
      partitionsInfo: { partitions: { regions: Record<string, unknown> }[] };
    };
    return new Set(partitionsInfo.partitions.flatMap((p) => Object.keys(p.regions)));
  } catch {
    return undefined; // The SDK moved its table: the endpoint lookup will tell instead.
  }
}

/**
 * Refuses a region AWS does not have (e.g. `eu-westt-1`) before any call, unless an endpoint
 * override points at a stand-in that accepts any region.
 */
export async function checkRegion(settings: AwsSettings, env: NodeJS.ProcessEnv): Promise<void> {
  const region = settings.region;
  const overridden =
    settings.endpoint !== undefined ||
    Object.keys(env).some((name) => name.startsWith('AWS_ENDPOINT_URL') && env[name] !== '');
  if (region === undefined || overridden) return;
  if (!/^[a-z]{2}(-[a-z0-9]+)+-\d{1,2}$/.test(region)) {
    throw new ConfigurationError(`region "${safeText(region)}" is not an AWS region name`);
  }
  const regions = await knownRegions();
  if (regions === undefined || regions.has(region)) return;
  const suggestion = closest(region, regions);
  throw new ConfigurationError(
    `unknown region "${region}"${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
  );
}
