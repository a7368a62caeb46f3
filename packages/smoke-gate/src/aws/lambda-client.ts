import { LambdaClient } from '@aws-sdk/client-lambda';
import { type AwsSettings, clientConfig, sharedClient } from './aws-clients.ts';

/** A Lambda client for the code a function runs, loaded only by history and status. */
export const createLambdaClient = (settings: AwsSettings): LambdaClient =>
  new LambdaClient({ ...clientConfig(settings), maxAttempts: 2 });

/** The Lambda client of these settings, shared as every client is (sharedClient). */
export const lambdaClientFor = (settings: AwsSettings): LambdaClient =>
  sharedClient('lambda', settings, createLambdaClient);
