import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { type AwsSettings, clientConfig, sharedClient } from './aws-clients.ts';

/** A CloudWatch (alarms) client with the same region, credentials and endpoint. */
export const createCloudWatchClient = (settings: AwsSettings): CloudWatchClient =>
  new CloudWatchClient({ ...clientConfig(settings), maxAttempts: 2 });

/**
 * The CloudWatch client of these settings, shared by region, profile, endpoint and role
 * (sharedClient): `status` over many stages of one account and region shares one, and a stage
 * of the same name in another account is read with that account's own.
 */
export const cloudWatchClientFor = (settings: AwsSettings): CloudWatchClient =>
  sharedClient('cloudwatch', settings, createCloudWatchClient);
