// The framework's side of a stage's books: where its deployment bucket, prefix, stack and records
// key are, read once from the framework into the plain values deployments/ takes.
import { VERIFY_DEFAULTS } from '../core/defaults.ts';
import type { StagePlace } from '../deployments/deployment-books.ts';
import { recordsKeyOf } from '../deployments/record-signature.ts';
import type { ServerlessLike } from './serverless-like.ts';

/** The records key the service names (custom.smokeTest.recordsKey), else its default alias. */
export const serviceRecordsKey = (serverless: ServerlessLike): string => {
  const custom = serverless.service.custom as { smokeTest?: { recordsKey?: unknown } } | undefined;
  return recordsKeyOf(
    custom?.smokeTest?.recordsKey,
    serverless.service.service ?? VERIFY_DEFAULTS.service,
  );
};

/**
 * The stage's place as the framework knows it. A framework that exposes no deployment bucket to
 * plugins is said when the bucket is first asked for, where the books are opened.
 */
export function stagePlaceOf(serverless: ServerlessLike): StagePlace {
  const provider = serverless.getProvider('aws');
  const { getServerlessDeploymentBucketName: bucketName, getDeploymentPrefix, getStage } = provider;
  return {
    service: serverless.service.service ?? VERIFY_DEFAULTS.service,
    stage: getStage?.call(provider) ?? '',
    stack: provider.naming.getStackName(),
    deploymentPrefix: getDeploymentPrefix?.call(provider) ?? '',
    recordsKey: serviceRecordsKey(serverless),
    bucket: async () => {
      if (bucketName === undefined || getDeploymentPrefix === undefined || getStage === undefined) {
        throw new Error('this framework version exposes no deployment bucket to the plugin');
      }
      return bucketName.call(provider);
    },
  };
}
