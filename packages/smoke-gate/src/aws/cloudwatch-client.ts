import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { type AwsSettings, clientConfig } from './aws-clients.ts';

/** A CloudWatch (alarms) client with the same region, credentials and endpoint. */
export const createCloudWatchClient = (settings: AwsSettings): CloudWatchClient =>
  new CloudWatchClient({ ...clientConfig(settings), maxAttempts: 2 });

const shared = new Map<string, CloudWatchClient>();

/**
 * The CloudWatch client of these settings, made once per region, profile and endpoint in a run:
 * `status` over many stages of one region shares it. A framework's own config is not shared.
 */
export function cloudWatchClientFor(settings: AwsSettings): CloudWatchClient {
  if (settings.base !== undefined) return createCloudWatchClient(settings);
  const key = JSON.stringify([settings.region, settings.profile, settings.endpoint]);
  const client = shared.get(key) ?? createCloudWatchClient(settings);
  shared.set(key, client);
  return client;
}
