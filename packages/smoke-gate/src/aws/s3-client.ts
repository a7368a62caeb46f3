import { S3Client } from '@aws-sdk/client-s3';
import { type AwsSettings, clientConfig } from './aws-clients.ts';

/** An S3 client (the deployment bucket); path-style addressing when the endpoint is a stand-in. */
export const createS3Client = (settings: AwsSettings): S3Client => {
  const config = clientConfig(settings);
  return new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined });
};
