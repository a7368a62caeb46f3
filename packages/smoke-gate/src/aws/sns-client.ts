import { SNSClient } from '@aws-sdk/client-sns';
import { type AwsSettings, clientConfig, sharedClient } from './aws-clients.ts';

/** An SNS client for the gate's events, loaded only by the deploy hook that publishes them. */
export const createSnsClient = (settings: AwsSettings): SNSClient =>
  new SNSClient({ ...clientConfig(settings), maxAttempts: 2 });

/** The SNS client of these settings, shared as every client is (sharedClient). */
export const snsClientFor = (settings: AwsSettings): SNSClient =>
  sharedClient('sns', settings, createSnsClient);
