import type { AwsSettings } from '../aws/aws-clients.ts';
import type { ServerlessLike } from './serverless-like.ts';

/** An AWS SDK v2 credentials object, as Serverless v3's provider hands it out. */
interface V2Credentials {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  get?(callback: (error?: Error | null) => void): void;
}

/** An SDK v3 credentials provider over v2 credentials: refreshed (get) before each use. */
const fromV2 =
  (credentials: V2Credentials) =>
  async (): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> => {
    await new Promise<void>((resolve, reject) => {
      if (credentials.get === undefined) resolve();
      else credentials.get((error) => (error ? reject(error) : resolve()));
    });
    const { accessKeyId, secretAccessKey, sessionToken } = credentials;
    if (accessKeyId === undefined || secretAccessKey === undefined) {
      throw new Error('the framework’s AWS credentials have no access key');
    }
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  };

/**
 * The gate's AWS settings from the framework, in the one shape every module of the gate takes:
 * osls and Serverless v4 give their own SDK v3 client config (getAwsSdkV3Config); Serverless v3
 * gives SDK v2 credentials (getCredentials, synchronous) with its region and profile, turned into
 * an SDK v3 credentials provider here, or left to the SDK's own chain when it names none. The one
 * place that reads either.
 */
export async function frameworkAws(serverless: ServerlessLike): Promise<AwsSettings> {
  const provider = serverless.getProvider('aws');
  if (typeof provider.getAwsSdkV3Config === 'function') {
    return { base: await provider.getAwsSdkV3Config() };
  }
  const given = provider.getCredentials?.() ?? {};
  const region = provider.getRegion?.() ?? given.region;
  const profile = provider.getProfile?.();
  return {
    region,
    profile,
    ...(given.credentials === undefined
      ? {}
      : { base: { credentials: fromV2(given.credentials) } }),
  };
}
