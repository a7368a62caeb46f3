import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { classifyAwsError } from './cloudwatch-log-source.ts';
import { ConfigurationError } from './errors.ts';

/** Where and as whom to call AWS; unset fields fall back to the SDK's own chain and env. */
export interface AwsSettings {
  region?: string;
  profile?: string;
  /** CloudWatch Logs endpoint (else AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / AWS_ENDPOINT_URL). */
  logsEndpoint?: string;
}

/** A CloudWatch Logs client with the SDK's credential chain, retries and endpoint env vars. */
export function createLogsClient(settings: AwsSettings): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    region: settings.region,
    profile: settings.profile,
    endpoint: settings.logsEndpoint,
  });
}

/** A CloudFormation client configured like {@link createLogsClient}. */
export function createCloudFormationClient(settings: AwsSettings): CloudFormationClient {
  return new CloudFormationClient({ region: settings.region, profile: settings.profile });
}

/** The deployed stack's name for a stage. */
export const stackName = (service: string, stage: string): string => `${service}-${stage}`;

/** Route URL and log group read from a deployed stack's outputs. */
export interface StackTargets {
  url: string | undefined;
  logGroupName: string | undefined;
}

/** Reads HealthEndpointUrl and HealthLogGroupName from the stack's outputs. */
export async function describeStackTargets(
  client: CloudFormationClient,
  name: string,
): Promise<StackTargets> {
  let outputs: { OutputKey?: string; OutputValue?: string }[];
  try {
    const result = await client.send(new DescribeStacksCommand({ StackName: name }));
    outputs = result.Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) {
      throw new ConfigurationError(
        `stack ${name} does not exist in this region. Check --stage and --region, or pass --url and --log-group.`,
      );
    }
    throw classifyAwsError(error, `CloudFormation stack ${name}`);
  }
  const output = (key: string) => outputs.find((entry) => entry.OutputKey === key)?.OutputValue;
  return { url: output('HealthEndpointUrl'), logGroupName: output('HealthLogGroupName') };
}
