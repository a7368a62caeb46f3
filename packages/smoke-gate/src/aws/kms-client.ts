import { KMSClient } from '@aws-sdk/client-kms';
import { type AwsSettings, clientConfig, sharedClient } from './aws-clients.ts';

/** A KMS client for the records key, loaded only by the commands that read or write records. */
export const createKmsClient = (settings: AwsSettings): KMSClient =>
  new KMSClient({ ...clientConfig(settings), maxAttempts: 2 });

/** The KMS client of these settings, shared as every client is (sharedClient). */
export const kmsClientFor = (settings: AwsSettings): KMSClient =>
  sharedClient('kms', settings, createKmsClient);
