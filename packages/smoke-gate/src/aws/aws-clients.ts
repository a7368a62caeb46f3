import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { closest } from '../core/closest.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';

/** Where and as whom to call AWS; unset fields fall back to the SDK's chain and env vars. */
export interface AwsSettings {
  region?: string | undefined;
  profile?: string | undefined;
  /** One endpoint for CloudWatch Logs, CloudWatch and CloudFormation (a local stand-in). */
  endpoint?: string | undefined;
  /** A client config from the framework (credentials provider, region…), e.g. getAwsSdkV3Config. */
  base?: Record<string, unknown> | undefined;
  /** The role these settings act as (role-credentials.ts), for sharing clients and budgets. */
  role?: { arn: string; externalId?: string | undefined } | undefined;
  /** Credentials to use instead of the SDK's chain (an assumed role's). */
  credentials?: AwsCredentialIdentityProvider | undefined;
  /** The account these settings act in, when known (asked once per set of credentials). */
  account?: string | null | undefined;
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
  ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
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
 * Where a client calls and as whom: region, profile, endpoint and the role it acts as (so its
 * account). Undefined when a client must not be shared: a framework's own config, or credentials
 * that name no role.
 */
export function clientKey(settings: AwsSettings): string | undefined {
  if (settings.base !== undefined) return undefined;
  if (settings.credentials !== undefined && settings.role === undefined) return undefined;
  const { region, profile, endpoint, role } = settings;
  return JSON.stringify([region, profile, endpoint, role?.arn, role?.externalId]);
}

const made = new Map<string, unknown>();

/**
 * The one way the gate gets an AWS client: made by `create` on first use, then shared by every
 * call of that `kind` with the same {@link clientKey} (a run over many stages of one region and
 * account shares one). Each kind's SDK lives in its own module, loaded only by the commands that
 * use it: each SDK client costs several MB of memory to load.
 */
export function sharedClient<T>(
  kind: string,
  settings: AwsSettings,
  create: (settings: AwsSettings) => T,
): T {
  const key = clientKey(settings);
  if (key === undefined) return create(settings);
  const id = `${kind} ${key}`;
  if (!made.has(id)) made.set(id, create(settings));
  return made.get(id) as T;
}

/** The clients the verifier and `status` read with; injectable (fakes in tests). */
export interface AwsClients {
  logs(settings: AwsSettings): CloudWatchLogsClient;
  cloudFormation(settings: AwsSettings): CloudFormationClient;
}

/** The shared clients ({@link sharedClient}). */
export const sharedClients: AwsClients = {
  logs: (settings) => sharedClient('logs', settings, createLogsClient),
  cloudFormation: (settings) =>
    sharedClient('cloudformation', settings, createCloudFormationClient),
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

/** True for a host on this machine: 127.0.0.0/8, ::1 or localhost. */
const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' ||
  hostname === '[::1]' ||
  /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

/** Every endpoint override in force: --endpoint-url, then the AWS_ENDPOINT_URL* variables. */
const endpointOverrides = (settings: AwsSettings, env: NodeJS.ProcessEnv) => [
  ...(settings.endpoint === undefined
    ? []
    : [{ name: '--endpoint-url', value: settings.endpoint }]),
  ...Object.keys(env)
    .filter((name) => name.startsWith('AWS_ENDPOINT_URL') && env[name] !== '')
    .sort()
    .map((name) => ({ name, value: env[name] as string })),
];

/**
 * Refuses an endpoint override that would send signed requests in the clear to another machine:
 * an override is https, or plain http to a stand-in on this machine only.
 */
function checkEndpoints(settings: AwsSettings, env: NodeJS.ProcessEnv): void {
  for (const { name, value } of endpointOverrides(settings, env)) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new CouldNotJudgeError(
        `${name} ${JSON.stringify(safeText(value, 80))} is not an http(s) URL`,
      );
    }
    if (url.protocol === 'https:') continue;
    if (url.protocol === 'http:' && isLoopback(url.hostname)) continue;
    throw new CouldNotJudgeError(
      `${name} ${JSON.stringify(safeText(`${url.protocol}//${url.host}`, 80))} would send signed AWS requests in the clear: use https, or plain http only to a stand-in on this machine (127.0.0.1, localhost, [::1])`,
    );
  }
}

/**
 * Checks where the calls go, before any call: the endpoint overrides (see checkEndpoints), and a
 * region AWS does not have (e.g. `eu-westt-1`) refused with "did you mean", with or without an
 * override (a stand-in takes any region, so a typo would only show up against AWS).
 */
export async function checkCallDestination(
  settings: AwsSettings,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  checkEndpoints(settings, env);
  const region = settings.region;
  if (region === undefined) return;
  if (!/^[a-z]{2}(-[a-z0-9]+)+-\d{1,2}$/.test(region)) {
    throw new CouldNotJudgeError(`region "${safeText(region)}" is not an AWS region name`);
  }
  const regions = await knownRegions();
  if (regions === undefined || regions.has(region)) return;
  const suggestion = closest(region, regions);
  throw new CouldNotJudgeError(
    `unknown region "${region}"${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
  );
}
