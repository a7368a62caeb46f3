// The traffic mode at package time (docs/traffic.md): the HTTP API's integrations call the alias
// their stage's variable names (`live` on the public stage, `candidate` on a second stage of the
// same API), every schedule targets `live`, and the function's invoke permissions leave the stack
// for the gate to put on each alias (the aliases are the gate's, never the stack's: no stack
// update, rollback or drift check can move traffic).

import { CouldNotJudgeError } from '../core/errors.ts';
import { isRecord } from '../core/json.ts';
import { safeJson } from '../core/safe-text.ts';
import { readShiftConfig, type ShiftShape } from '../traffic/traffic-shift.ts';
import { TRAFFIC_NAMES, TRAFFIC_OUTPUTS } from '../traffic/traffic-stage.ts';
import type { GateTemplate } from './gate-template.ts';
import { type FunctionConfig, smokeTestConfig } from './service-contract.ts';

/** custom.smokeTest.traffic, read. */
export interface TrafficSettings {
  /** The candidate stage's full route URL, when not the HTTP API's own (`<api>/candidate<path>`). */
  candidateUrl: string | undefined;
  /** How `live` moves to a version that passed: all at once, or a canary or linear shift. */
  shift: ShiftShape;
  /** Alarms of the service's own the gate watches while a shift bakes, besides its own. */
  alarms: string[];
}

/** The keys of custom.smokeTest.traffic as a map. */
const TRAFFIC_KEYS = ['candidateUrl', 'canary', 'linear', 'alarms'];
const ALARM_NAME = /^[^\p{Cc}]{1,255}$/u;

/** traffic.alarms: at most 10 alarm names. */
function readAlarms(value: unknown): string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    value.length > 10 ||
    !value.every((name) => typeof name === 'string' && ALARM_NAME.test(name))
  ) {
    throw new CouldNotJudgeError(
      `custom.smokeTest.traffic.alarms must list at most 10 CloudWatch alarm names, not ${safeJson(value)}`,
    );
  }
  return value;
}

/** traffic.candidateUrl: an http(s) URL without credentials. */
function readCandidateUrl(url: unknown): string | undefined {
  if (url === undefined) return undefined;
  if (typeof url === 'string' && URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)) {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return parsed.href;
  }
  throw new CouldNotJudgeError(
    'custom.smokeTest.traffic.candidateUrl must be an http(s) URL without user:password@',
  );
}

/** The candidate stage's bound: a second way in for the gate, not a second public route. */
export const CANDIDATE_THROTTLE = { rateLimit: 2, burstLimit: 5 } as const;

/** The logical id of the candidate stage the gate adds. */
export const CANDIDATE_STAGE_ID = 'HttpApiCandidateStage';

/** The events a function in the traffic mode may have: their invokers can be pointed at an alias. */
const ALIAS_EVENTS = new Set(['httpApi', 'schedule']);

/** Reads custom.smokeTest.traffic: true, false, or { candidateUrl, canary | linear, alarms }. */
export function readTraffic(value: unknown): TrafficSettings | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true)
    return { candidateUrl: undefined, shift: { kind: 'all-at-once' }, alarms: [] };
  if (isRecord(value) && Object.keys(value).every((key) => TRAFFIC_KEYS.includes(key))) {
    return {
      candidateUrl: readCandidateUrl(value.candidateUrl),
      shift: readShiftConfig(value),
      alarms: readAlarms(value.alarms),
    };
  }
  throw new CouldNotJudgeError(
    `custom.smokeTest.traffic must be true, false or { candidateUrl, canary, linear, alarms }, not ${safeJson(value)}`,
  );
}

/** Whether custom.smokeTest turns the traffic mode on (read after packaging checked it). */
export const trafficModeOf = (custom: unknown): boolean => {
  const { traffic } = smokeTestConfig(custom);
  return traffic === true || isRecord(traffic);
};

/** Why the gated function cannot run in the traffic mode, in one line; undefined when it can. */
export function trafficProblem(
  fn: (FunctionConfig & { provisionedConcurrency?: unknown }) | undefined,
): string | undefined {
  if (fn?.provisionedConcurrency !== undefined) {
    return 'custom.smokeTest.traffic: provisionedConcurrency makes the framework own an alias; the traffic mode moves its own (live, candidate): leave one of them out';
  }
  for (const event of fn?.events ?? []) {
    const kind = isRecord(event) ? Object.keys(event)[0] : undefined;
    if (kind !== undefined && !ALIAS_EVENTS.has(kind)) {
      return `custom.smokeTest.traffic: the function's ${kind} event would invoke the bare function, not the live alias; the traffic mode takes httpApi and schedule events only`;
    }
  }
  return undefined;
}

const namesFunctionArn = (value: unknown, functionId: string): boolean =>
  isRecord(value) &&
  Array.isArray(value['Fn::GetAtt']) &&
  value['Fn::GetAtt'][0] === functionId &&
  value['Fn::GetAtt'][1] === 'Arn';

const namesFunction = (value: unknown, functionId: string): boolean =>
  namesFunctionArn(value, functionId) || (isRecord(value) && value.Ref === functionId);

/** The ARN of one of the function's aliases. */
const aliasArn = (functionId: string, alias: string) => ({
  'Fn::Join': [':', [{ 'Fn::GetAtt': [functionId, 'Arn'] }, alias]],
});

/** API Gateway's invocation URI of the alias the stage's variable names (stage variables, HTTP APIs). */
const stageAliasUri = (functionId: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':apigateway:',
      { Ref: 'AWS::Region' },
      ':lambda:path/2015-03-31/functions/',
      { 'Fn::GetAtt': [functionId, 'Arn'] },
      `:\${stageVariables.${TRAFFIC_NAMES.stageVariable}}/invocations`,
    ],
  ],
});

interface Resource {
  Type?: string;
  Properties?: Record<string, unknown>;
}

/**
 * Rewrites the compiled template for the traffic mode; the gate moves the aliases after each
 * deploy (gate/traffic-gate.ts). `path` is the gated route's path.
 */
export function routeThroughAliases(
  template: GateTemplate,
  target: { functionId: string; path: string; traffic: TrafficSettings },
): void {
  const { functionId } = target;
  const resources = (template.Resources ?? {}) as Record<string, Resource>;
  const invokers: unknown[] = [];
  let apiStage: Resource | undefined;
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::ApiGatewayV2::Integration') {
      if (namesFunctionArn(props.IntegrationUri, functionId)) {
        props.IntegrationUri = stageAliasUri(functionId);
      }
    } else if (resource.Type === 'AWS::Lambda::Permission') {
      if (!namesFunction(props.FunctionName, functionId)) continue;
      // Moved to the aliases: the gate adds it to each, and nothing may call the bare function.
      invokers.push(
        props.Principal,
        ...(props.SourceArn === undefined ? [] : [' ', props.SourceArn]),
        ',',
      );
      delete resources[id];
    } else if (resource.Type === 'AWS::Events::Rule' && Array.isArray(props.Targets)) {
      for (const ruleTarget of props.Targets as Record<string, unknown>[]) {
        if (namesFunctionArn(ruleTarget.Arn, functionId)) {
          ruleTarget.Arn = aliasArn(functionId, TRAFFIC_NAMES.live);
        }
      }
    } else if (resource.Type === 'AWS::ApiGatewayV2::Stage' && props.StageName === '$default') {
      apiStage = resource;
      props.StageVariables = {
        ...(props.StageVariables as object),
        [TRAFFIC_NAMES.stageVariable]: TRAFFIC_NAMES.live,
      };
    }
  }
  if (apiStage !== undefined) {
    resources[CANDIDATE_STAGE_ID] = {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ApiId: apiStage.Properties?.ApiId,
        StageName: TRAFFIC_NAMES.candidateStage,
        AutoDeploy: true,
        Description: 'The smoke gate calls the candidate version here before live moves',
        StageVariables: { [TRAFFIC_NAMES.stageVariable]: TRAFFIC_NAMES.candidate },
        DefaultRouteSettings: {
          ThrottlingRateLimit: CANDIDATE_THROTTLE.rateLimit,
          ThrottlingBurstLimit: CANDIDATE_THROTTLE.burstLimit,
        },
      },
    };
  }
  template.Outputs = {
    ...template.Outputs,
    [TRAFFIC_OUTPUTS.functionName]: {
      Description: 'The function whose live and candidate aliases the smoke gate moves',
      Value: { Ref: functionId },
    },
    [TRAFFIC_OUTPUTS.candidateUrl]: {
      Description: 'The route on the candidate stage (the version under test)',
      Value: target.traffic.candidateUrl ?? {
        'Fn::Join': [
          '',
          [
            { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] },
            `/${TRAFFIC_NAMES.candidateStage}`,
            target.path,
          ],
        ],
      },
    },
    // CloudFormation takes no empty output: a function no one else invokes has none.
    ...(invokers.length === 0
      ? {}
      : {
          [TRAFFIC_OUTPUTS.invokers]: {
            Description: 'Who may invoke the aliases: "<principal> <source ARN>" pairs',
            Value: { 'Fn::Join': ['', invokers] },
          },
        }),
  };
}
