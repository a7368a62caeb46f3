import { S3Client } from '@aws-sdk/client-s3';
import { type AwsSettings, clientConfig, sharedClient } from './aws-clients.ts';

/** An S3 client (the deployment bucket); path-style addressing when the endpoint is a stand-in. */
export const createS3Client = (settings: AwsSettings): S3Client => {
  const config = clientConfig(settings);
  return new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined });
};

/** The S3 client of these settings, shared as every client is (sharedClient). */
export const s3ClientFor = (settings: AwsSettings): S3Client =>
  sharedClient('s3', settings, createS3Client);
