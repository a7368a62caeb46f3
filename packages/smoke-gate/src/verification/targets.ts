import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  type AwsClients,
  type AwsSettings,
  checkCallDestination,
  sharedClients,
} from '../aws/aws-clients.ts';
import { awsConfigurationError } from '../aws/aws-errors.ts';
import type { LogCallBudget } from '../aws/log-call-budget.ts';
import { describeStackContract, describeStackOutputs, stackName } from '../aws/stack-outputs.ts';
import type { SmokeContract } from '../core/contract.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';
import { cloudWatchLogSource } from './cloudwatch-log-source.ts';
import type { ResolvedTarget } from './log-source.ts';

/**
 * Parses a URL given on the command line or read from a stack: http(s) only, no credentials in
 * it. `kind` says what it is for, so the message fits (the public route, or an AWS endpoint).
 */
export function parseRouteUrl(
  value: string,
  source: string,
  kind: 'route' | 'endpoint' = 'route',
): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CouldNotJudgeError(`${source} ${JSON.stringify(safeText(value))} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CouldNotJudgeError(`${source} must be an http:// or https:// URL`);
  }
  if (url.username !== '' || url.password !== '') {
    // Never echoed: the value carries a secret.
    throw new CouldNotJudgeError(
      kind === 'route'
        ? `${source} must not carry credentials (user:password@); the health route is public`
        : `${source} must not carry credentials (user:password@); AWS credentials come from --profile or the SDK chain`,
    );
  }
  return url.href;
}

/** CloudWatch Logs' own rule for log group names. */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** Refuses a log group name CloudWatch Logs could never accept. */
export function checkLogGroupName(name: string, source: string): string {
  if (!LOG_GROUP_NAME.test(name)) {
    throw new CouldNotJudgeError(
      `${source} ${JSON.stringify(safeText(name))} is not a valid log group name (1-512 of A-Z a-z 0-9 . - _ / #)`,
    );
  }
  return name;
}

/** Route URL and log group read from a deployed stack's outputs. */
export interface StackTargets {
  url: string | undefined;
  logGroupName: string | undefined;
}

/** Reads HealthEndpointUrl and HealthLogGroupName from the stack's outputs, within the deadline. */
export async function describeStackTargets(
  client: CloudFormationClient,
  name: string,
  deadline: Deadline,
  context: { region?: string | undefined; profile?: string | undefined } = {},
): Promise<StackTargets> {
  const outputs = await describeStackOutputs(client, name, deadline, context);
  return { url: outputs.HealthEndpointUrl, logGroupName: outputs.HealthLogGroupName };
}

/** What the caller asked to verify; a stage (or stack) fills in what is not given. */
export interface TargetRequest {
  url?: string | undefined;
  logGroupName?: string | undefined;
  stage?: string | undefined;
  /** The stack to read outputs from (default `<service>-<stage>`). */
  stackName?: string | undefined;
  service: string;
  /** Read the contract from the stack's template (when the caller does not know it). */
  readContract?: boolean | undefined;
  /**
   * The function version whose line counts (the traffic mode): Lambda names a version's log
   * streams `…/[<version>]…`, so a line from another version's stream is rejected.
   */
  logStreamVersion?: string | undefined;
}

/** The route and log group to verify. */
export interface Targets {
  url: string;
  logGroupName: string;
  contract?: SmokeContract | undefined;
}

/** Checks the given URL and log group before anything else runs; returns them normalised. */
export function checkTargetRequest(request: TargetRequest): TargetRequest {
  if (request.stage === undefined && request.stackName === undefined) {
    if (request.url === undefined) {
      throw new CouldNotJudgeError('no endpoint: pass --url <url>, --stage <stage> or --local');
    }
    if (request.logGroupName === undefined) {
      throw new CouldNotJudgeError('no log group: pass --log-group <name> or --stage <stage>');
    }
  }
  return {
    ...request,
    url: request.url === undefined ? undefined : parseRouteUrl(request.url, '--url'),
    logGroupName:
      request.logGroupName === undefined
        ? undefined
        : checkLogGroupName(request.logGroupName, '--log-group'),
  };
}

/**
 * Resolves the route URL and log group: flags first, then the stack's outputs, then the default
 * log group name. The CLI, `serverless smoke` and the deploy hook all come through here.
 */
export async function resolveRouteAndLogGroup(
  request: TargetRequest,
  deps: {
    cloudFormation: () => CloudFormationClient;
    deadline: Deadline;
    region?: string | undefined;
    profile?: string | undefined;
  },
): Promise<Targets> {
  // The request was checked by checkTargetRequest before any call; outputs are checked here.
  let { url, logGroupName } = request;
  const stack =
    request.stackName ??
    (request.stage === undefined ? undefined : stackName(request.service, request.stage));
  if (stack !== undefined && (url === undefined || logGroupName === undefined)) {
    const outputs = await describeStackTargets(deps.cloudFormation(), stack, deps.deadline, deps);
    if (url === undefined && outputs.url !== undefined) {
      url = parseRouteUrl(outputs.url, `stack ${stack} output HealthEndpointUrl`);
    }
    if (url === undefined) {
      throw new CouldNotJudgeError(
        // --url exists on the CLI (which names a stage), not on `serverless smoke` (a stack).
        `stack ${stack} has no HealthEndpointUrl output: deploy this service first${request.stage === undefined ? '' : ', or pass --url'}`,
      );
    }
    if (logGroupName === undefined && outputs.logGroupName === undefined) {
      // Never guessed from the function's name: the stack says where the line lands, or a flag.
      throw new CouldNotJudgeError(
        `stack ${stack} has no HealthLogGroupName output: deploy this service with the gate's plugin first${request.stage === undefined ? '' : ', or pass --log-group'}`,
      );
    }
    logGroupName ??= outputs.logGroupName;
  }
  if (url === undefined) {
    throw new CouldNotJudgeError('no endpoint: pass --url <url>, --stage <stage> or --local');
  }
  if (logGroupName === undefined) {
    throw new CouldNotJudgeError('no log group: pass --log-group <name> or --stage <stage>');
  }
  const contract =
    stack !== undefined && request.readContract === true
      ? await describeStackContract(deps.cloudFormation(), stack, deps.deadline, deps)
      : undefined;
  return { url, logGroupName: checkLogGroupName(logGroupName, 'log group'), contract };
}

/**
 * A deployed target: region and credentials resolved under the deadline (a slow
 * credential_process cannot hang the run), then the route and log group from the request or the
 * stack's outputs, searched in CloudWatch Logs. The request was checked by checkTargetRequest.
 */
export async function resolveAwsTarget(
  request: TargetRequest,
  deps: {
    aws: AwsSettings;
    env: NodeJS.ProcessEnv;
    deadline: Deadline;
    /** Many targets: clients shared per region, and the region's CloudWatch Logs budget. */
    clients?: AwsClients | undefined;
    budget?: LogCallBudget | undefined;
  },
): Promise<ResolvedTarget> {
  const { aws, deadline } = deps;
  const clients = deps.clients ?? sharedClients;
  await checkCallDestination(aws, deps.env);
  const logs = clients.logs(aws);
  const context = { what: 'AWS', region: aws.region, profile: aws.profile };
  try {
    await deadline.race(logs.config.region(), 'resolving the AWS region');
    await deadline.race(logs.config.credentials(), 'resolving AWS credentials');
  } catch (error) {
    if (error instanceof CouldNotJudgeError) throw error;
    throw awsConfigurationError(error, context);
  }
  const targets = await resolveRouteAndLogGroup(request, {
    cloudFormation: () => clients.cloudFormation(aws),
    deadline,
    region: aws.region,
    profile: aws.profile,
  });
  return {
    url: targets.url,
    contract: targets.contract,
    logSource: cloudWatchLogSource({
      client: logs,
      logGroupName: targets.logGroupName,
      region: aws.region,
      profile: aws.profile,
      budget: deps.budget,
      streamVersion: request.logStreamVersion,
    }),
    stop: async () => undefined,
  };
}
