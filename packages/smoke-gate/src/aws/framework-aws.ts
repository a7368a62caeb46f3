import type { ServerlessLike } from '../core/framework.ts';
import type { AwsSettings } from './aws-clients.ts';

/**
 * The gate's AWS settings from the framework: its own SDK v3 client config (region, credentials,
 * endpoint), in the one shape every module of the gate takes. The one place that reads it.
 */
export async function frameworkAws(serverless: ServerlessLike): Promise<AwsSettings> {
  return { base: await serverless.getProvider('aws').getAwsSdkV3Config() };
}
