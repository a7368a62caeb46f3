import type { StagePlace } from '../deployments/deployment-books.ts';
import { type RecordsKeyPin, readRecordsKeyPin } from '../deployments/records-key-pin.ts';
import type { ServerlessLike } from './serverless-like.ts';

/**
 * The records key the service pins (custom.smokeTest.recordsKey), else none. A malformed pin is
 * refused at package time (template/service-gate.ts); here it pins nothing.
 */
export const serviceRecordsKey = (serverless: ServerlessLike): RecordsKeyPin | undefined => {
  const custom = serverless.service.custom as { smokeTest?: { recordsKey?: unknown } } | undefined;
  const pin = readRecordsKeyPin(custom?.smokeTest?.recordsKey, 'custom.smokeTest.recordsKey');
  return pin instanceof Error ? undefined : pin;
};

/**
 * The stage's place as the framework knows it. A framework that exposes no deployment bucket to
 * plugins is said when the bucket is first asked for, where the books are opened.
 */
export function stagePlaceOf(serverless: ServerlessLike): StagePlace {
  const provider = serverless.getProvider('aws');
  const { getServerlessDeploymentBucketName: bucketName, getDeploymentPrefix, getStage } = provider;
  return {
    // The framework always names its service (it refuses a serverless.yml without one).
    service: String(serverless.service.service),
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
