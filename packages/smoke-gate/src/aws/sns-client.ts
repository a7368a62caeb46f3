import { SNSClient } from '@aws-sdk/client-sns';
import { type AwsSettings, clientConfig } from './aws-clients.ts';

/** An SNS client for the gate's events, loaded only by the deploy hook that publishes them. */
export const createSnsClient = (settings: AwsSettings): SNSClient =>
  new SNSClient({ ...clientConfig(settings), maxAttempts: 2 });
