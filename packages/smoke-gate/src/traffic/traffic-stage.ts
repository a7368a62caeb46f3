// What a stage in the traffic mode (docs/traffic.md) tells the gate through its stack's outputs:
// the function whose aliases the gate moves, the candidate stage's URL, and who may invoke the
// aliases (the invoke permissions the stack would have put on the bare function).

import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describeStackOutputs } from '../aws/stack-outputs.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';

/** The aliases and the stage the gate owns; the stage variable the HTTP API's integrations read. */
export const TRAFFIC_NAMES = {
  live: 'live',
  candidate: 'candidate',
  candidateStage: 'candidate',
  stageVariable: 'lambdaAlias',
} as const;

/** An alias the gate moves. */
export type GateAlias = typeof TRAFFIC_NAMES.live | typeof TRAFFIC_NAMES.candidate;

/** The stack outputs a traffic-mode stage carries (template/traffic-template.ts writes them). */
export const TRAFFIC_OUTPUTS = {
  functionName: 'SmokeGateFunctionName',
  candidateUrl: 'SmokeGateCandidateUrl',
  invokers: 'SmokeGateInvokers',
} as const;

/** One principal that may invoke the aliases (an event source of the function). */
export interface Invoker {
  principal: string;
  /** The source it invokes from (an HTTP API, a rule), when the stack scoped it to one. */
  sourceArn: string | undefined;
}

/** A stage in the traffic mode, as its stack's outputs tell it. */
export interface TrafficStage {
  functionName: string;
  candidateUrl: string;
  invokers: Invoker[];
}

/** At most this many invokers are read (a function with more events is refused at package time). */
export const MAX_INVOKERS = 20;

const PRINCIPAL = /^[a-z0-9.-]{1,128}\.amazonaws\.com$/;
const SOURCE_ARN = /^arn:[\w-]+:[\w-]+:[\w-]*:\d{12}:[\w/*:.+=,@-]{1,1024}$/;

/**
 * The invokers output: `<principal> <sourceArn>` pairs separated by `,` (the source ARN may be
 * absent). Anything else is refused: the gate writes permissions from it.
 */
export function parseInvokers(value: string, source: string): Invoker[] {
  const entries = value.split(',').filter((entry) => entry !== '');
  if (entries.length > MAX_INVOKERS) {
    throw new CouldNotJudgeError(`${source} names more than ${MAX_INVOKERS} invokers`);
  }
  return entries.map((entry) => {
    const [principal = '', sourceArn, ...rest] = entry.split(' ');
    if (
      !PRINCIPAL.test(principal) ||
      rest.length > 0 ||
      (sourceArn !== undefined && !SOURCE_ARN.test(sourceArn))
    ) {
      throw new CouldNotJudgeError(
        `${source} holds ${JSON.stringify(safeText(entry, 120))}, not "<service principal> <source ARN>"`,
      );
    }
    return { principal, sourceArn };
  });
}

/** The traffic mode of a stack, from its outputs; undefined when the stack deploys all at once. */
export function trafficStageOf(
  outputs: Record<string, string>,
  stack: string,
): TrafficStage | undefined {
  const candidateUrl = outputs[TRAFFIC_OUTPUTS.candidateUrl];
  if (candidateUrl === undefined) return undefined;
  const functionName = outputs[TRAFFIC_OUTPUTS.functionName] ?? '';
  if (!/^[\w-]{1,64}$/.test(functionName)) {
    throw new CouldNotJudgeError(
      `stack ${stack} is in the traffic mode but its ${TRAFFIC_OUTPUTS.functionName} output is ${JSON.stringify(safeText(functionName, 80))}, not a function name`,
    );
  }
  const invokers = parseInvokers(
    outputs[TRAFFIC_OUTPUTS.invokers] ?? '',
    `stack ${stack} output ${TRAFFIC_OUTPUTS.invokers}`,
  );
  return { functionName, candidateUrl, invokers };
}

/** A stack deployed all at once where the traffic mode was asked for. */
export class NotInTrafficMode extends CouldNotJudgeError {
  override name = 'NotInTrafficMode';
}

/**
 * The traffic stage of a stack that must be in the traffic mode (custom.smokeTest.traffic is
 * on): its outputs read under the deadline; a stack without them is one line, exit 2.
 */
export async function requiredTrafficStage(
  cloudFormation: CloudFormationClient,
  stack: string,
  deadline: Deadline,
): Promise<TrafficStage> {
  const stage = trafficStageOf(await describeStackOutputs(cloudFormation, stack, deadline), stack);
  if (stage === undefined) {
    throw new NotInTrafficMode(
      `stack ${stack} has no ${TRAFFIC_OUTPUTS.candidateUrl} output though custom.smokeTest.traffic is on`,
    );
  }
  return stage;
}
