import { KMSClient } from '@aws-sdk/client-kms';
import { type AwsSettings, clientConfig } from './aws-clients.ts';

/** A KMS client for the records key, loaded only by the commands that read or write records. */
export const createKmsClient = (settings: AwsSettings): KMSClient =>
  new KMSClient({ ...clientConfig(settings), maxAttempts: 2 });
