import { SSMClient } from '@aws-sdk/client-ssm';
import { type AwsSettings, clientConfig, sharedClient } from './aws-clients.ts';

/** An SSM client for the stage's anchor, loaded only by the commands that read or write records. */
export const createSsmClient = (settings: AwsSettings): SSMClient =>
  new SSMClient({ ...clientConfig(settings), maxAttempts: 2 });

/** The SSM client of these settings, shared as every client is (sharedClient). */
export const ssmClientFor = (settings: AwsSettings): SSMClient =>
  sharedClient('ssm', settings, createSsmClient);
