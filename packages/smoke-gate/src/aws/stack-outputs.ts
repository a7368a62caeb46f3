import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
  GetTemplateCommand,
  type GetTemplateCommandOutput,
} from '@aws-sdk/client-cloudformation';
import type { SmokeContract } from '../core/contract.ts';
import { readContract } from '../core/contract-config.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { isRecord, parseJsonObject } from '../core/json.ts';
import { AwsRetryableError, callAws } from './aws-call.ts';

/** The deployed stack's name for a stage, as the framework names it. */
export const stackName = (service: string, stage: string): string => `${service}-${stage}`;

/** CloudFormation's answer for a stack that is not there (worded with its region by the caller). */
class StackMissing extends CouldNotJudgeError {
  override name = 'StackMissing';
}

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
            ? new StackMissing(name)
            : undefined,
      },
    );
    outputs = result.Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    if (error instanceof StackMissing) {
      // Only now, for its message: the region asked, else the one the SDK chain resolved.
      const region =
        context.region ??
        (await Promise.resolve()
          .then(() => client.config.region())
          .catch(() => undefined)) ??
        'the default';
      throw new CouldNotJudgeError(
        `stack ${name} does not exist in region ${region}. Check the stage and the region, or deploy the stage first.`,
      );
    }
    if (!(error instanceof AwsRetryableError)) throw error;
    throw new CouldNotJudgeError(
      `${what}: could not be read (${error.detail}); nothing was verified`,
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

/** The largest template CloudFormation takes (1 MB): a bigger answer is not read. */
const TEMPLATE_CAP = 1_048_576;

/**
 * What the gate stored in a stack's template at package time (Metadata.SmokeGate: the contract,
 * the watched lines, the records key): undefined when the stack has none (deployed without the
 * gate, or before it stored it). Needs cloudformation:GetTemplate.
 */
export async function describeStackGate(
  client: CloudFormationClient,
  name: string,
  deadline: Deadline,
  context: { region?: string | undefined; profile?: string | undefined } = {},
): Promise<Record<string, unknown> | undefined> {
  const what = `CloudFormation stack ${name}'s template`;
  let body: string | undefined;
  try {
    const result = await callAws<GetTemplateCommandOutput>(
      client,
      new GetTemplateCommand({ StackName: name }),
      { what: `reading ${what}`, deadline, ...context },
    );
    body = result.TemplateBody;
  } catch (error) {
    if (!(error instanceof AwsRetryableError)) throw error;
    throw new CouldNotJudgeError(`${what}: could not be read; nothing was verified`);
  }
  if (body === undefined || body.length > TEMPLATE_CAP) return undefined;
  const metadata = parseJsonObject(body)?.Metadata;
  const gate = isRecord(metadata) ? metadata.SmokeGate : undefined;
  return isRecord(gate) ? gate : undefined;
}

/** Reads one part of a stack's stored gate metadata, its problem named as the stack's. */
export function readStored<T>(stack: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new CouldNotJudgeError(
      `stack ${stack}: its ${what} (template Metadata) is not valid: ${error instanceof Error ? error.message : 'unreadable'}`,
    );
  }
}

/**
 * The contract a stack's template declares under Metadata.SmokeGate.Contract (the plugin writes
 * it at package time), checked as custom.smokeTest is; undefined when the stack has none.
 */
export async function describeStackContract(
  client: CloudFormationClient,
  name: string,
  deadline: Deadline,
  context: { region?: string | undefined; profile?: string | undefined } = {},
): Promise<SmokeContract | undefined> {
  const gate = await describeStackGate(client, name, deadline, context);
  if (gate?.Contract === undefined) return undefined;
  return readStored(name, 'smoke-test contract', () => readContract(gate.Contract));
}
