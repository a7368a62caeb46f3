import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { type AwsSettings, clientConfig } from './aws-clients.ts';

/** A CloudWatch (alarms) client with the same region, credentials and endpoint. */
export const createCloudWatchClient = (settings: AwsSettings): CloudWatchClient =>
  new CloudWatchClient({ ...clientConfig(settings), maxAttempts: 2 });
