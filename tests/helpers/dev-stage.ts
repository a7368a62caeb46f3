// The dev stage of petsage-smoke-test as the plugin sees it through the framework, for unit tests
// of what the gate reads and writes in the deployment bucket (S3, CloudFormation and KMS mocked).
import type { StagePlace } from '../../packages/smoke-gate/src/deployments/deployment-books.ts';
import type {
  DeployedState,
  FrameworkStage,
} from '../../packages/smoke-gate/src/gate/gate-steps.ts';
import type { ServerlessLike } from '../../packages/smoke-gate/src/plugin/serverless-like.ts';
import { KEY_PIN } from './records-key.ts';

/** Where the dev stage's deployments live in the bucket. */
export const DEV_PREFIX = 'serverless/petsage-smoke-test/dev/';

/** The framework's service and AWS provider for the dev stage, with its bucket named `bucket`. */
export const devServerless: ServerlessLike = {
  service: { service: 'petsage-smoke-test' },
  getProvider: () => ({
    getAwsSdkV3Config: async () => ({}),
    naming: { getStackName: () => 'petsage-smoke-test-dev' },
    getServerlessDeploymentBucketName: async () => 'bucket',
    getDeploymentPrefix: () => 'serverless',
    getStage: () => 'dev',
  }),
};

/** The dev stage's books as deployments/ takes them: plain values, no framework. */
export const DEV_STAGE: StagePlace = {
  service: 'petsage-smoke-test',
  stage: 'dev',
  stack: 'petsage-smoke-test-dev',
  deploymentPrefix: 'serverless',
  recordsKey: KEY_PIN,
  bucket: async () => 'bucket',
};

/** The dev stage as the gate's steps take it from the plugin: nothing deployed, no rollback. */
export const devFramework = (
  overrides: Partial<FrameworkStage> & { deployedState?: Partial<DeployedState> } = {},
): FrameworkStage => {
  const { deployedState, ...rest } = overrides;
  return {
    service: 'petsage-smoke-test',
    stage: 'dev',
    region: 'us-east-1',
    stack: 'petsage-smoke-test-dev',
    custom: undefined,
    place: DEV_STAGE,
    aws: async () => DEV_AWS,
    deployed: () => ({
      artifactDirectoryName: undefined,
      shouldNotDeploy: false,
      resources: undefined,
      ...deployedState,
    }),
    spawnRollback: undefined,
    ...rest,
  };
};

/** An S3 body as the SDK hands it over: the two readers the gate uses. */
export const s3Body = (text: string) =>
  ({
    transformToString: async () => text,
    transformToByteArray: async () => new Uint8Array(Buffer.from(text)),
  }) as never;

/** Settings for AWS clients in the dev stage's region (their calls are mocked). */
export const DEV_AWS = {
  base: { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
};
