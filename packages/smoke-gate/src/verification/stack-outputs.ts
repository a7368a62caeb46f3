import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { AwsRetryableError, callAws } from '../aws/aws-call.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';

/** Reads a stack's outputs (key to value), within the deadline. */
export async function describeStackOutputs(
  client: CloudFormationClient,
  name: string,
  deadline: Deadline,
  context: { region?: string | undefined; profile?: string | undefined } = {},
): Promise<Record<string, string>> {
  const what = `CloudFormation stack ${name}`;
  let outputs: { OutputKey?: string; OutputValue?: string }[];
  try {
    const result = await callAws<DescribeStacksCommandOutput>(
      client,
      new DescribeStacksCommand({ StackName: name }),
      {
        what: `reading ${what}`,
        deadline,
        ...context,
        explain: (error) =>
          error instanceof Error && /does not exist/.test(error.message)
            ? new CouldNotJudgeError(
                `stack ${name} does not exist in this region. Check the stage and the region, or deploy the stage first.`,
              )
            : undefined,
      },
    );
    outputs = result.Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    if (!(error instanceof AwsRetryableError)) throw error;
    throw new CouldNotJudgeError(
      `${what}: could not be read (${error.message.slice(`reading ${what}: `.length)}); nothing was verified`,
    );
  }
  return Object.fromEntries(
    outputs.flatMap((entry) =>
      entry.OutputKey === undefined || entry.OutputValue === undefined
        ? []
        : [[entry.OutputKey, entry.OutputValue]],
    ),
  );
}
