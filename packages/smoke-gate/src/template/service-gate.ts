// The gate's settings for the service the plugin runs in, read once from `custom.smokeTest`, and
// what they add at package time: the heartbeat schedule, the template's contract, outputs and
// monitoring, and the build stamp.

import type { SmokeContract } from '../core/contract.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeJson } from '../core/safe-text.ts';
import { type RecordsKeyPin, readRecordsKeyPin } from '../deployments/records-key-pin.ts';
import { guardDeploymentBucket, versionDeploymentBucket } from './bucket-guard.ts';
import { addGateTemplate, type GateTemplate, heartbeatEvent } from './gate-template.ts';
import { writeLoggingConfig } from './log-level.ts';
import { heartbeatsOf, type MonitoringSettings, readMonitoring } from './monitoring-config.ts';
import { stampRelease } from './release-stamp.ts';
import { type FunctionConfig, readServiceContract, smokeTestConfig } from './service-contract.ts';
import {
  readTraffic,
  routeThroughAliases,
  type TrafficSettings,
  trafficProblem,
} from './traffic-template.ts';

/** What the plugin knows of the service's gate. */
export interface ServiceGate {
  service: string;
  stage: string;
  region: string;
  functionName: string;
  contract: SmokeContract;
  /** custom.smokeTest.url: the route's full URL when not the HTTP API's own (a custom domain). */
  url: string | undefined;
  monitoring: MonitoringSettings | undefined;
  enforceLogLevel: boolean;
  /** The pinned records key, written to the template's metadata; none: records are unsigned. */
  recordsKey: RecordsKeyPin | undefined;
  /** Roles the bucket guard lets write besides the deploy role (custom.smokeTest.guardExemptRoles). */
  guardExemptRoles: string[];
  /** custom.smokeTest.traffic: the route serves the `live` alias the gate moves (docs/traffic.md). */
  traffic: TrafficSettings | undefined;
}

/**
 * The service being packaged, as the plugin reads it from the framework (plugin/packaged-service.ts):
 * plain values, and the parts of its configuration the gate writes into (its functions' events,
 * the compiled template).
 */
export interface PackagedService {
  name: string;
  stage: string;
  region: string;
  /** The service's folder (its package.json and git checkout give the build stamp). */
  serviceDir: string;
  /** The bucket's key prefix before `<service>/<stage>/`. */
  deploymentPrefix: string;
  custom: unknown;
  functions: Record<string, FunctionConfig> | undefined;
  /** The compiled template, once the framework made it. */
  template: GateTemplate | undefined;
  /** The template a new stack is first created with: its deployment bucket is made there. */
  coreResources: Record<string, unknown> | undefined;
  /** provider.logs.lambda: the logging settings the framework compiles. */
  lambdaLogs: Record<string, unknown> | undefined;
  /** provider.iam.role.permissionsBoundary. */
  boundary: unknown;
  /** CloudFormation's service role (provider.iam.deploymentRole, v3's provider.cfnRole), if any. */
  cloudFormationRole: unknown;
  /** The framework's logical ids of a function and of its log group. */
  functionId(fn: string): string;
  logGroupId(fn: string): string;
}

/** custom.smokeTest.url: an http(s) URL without credentials. */
function routeUrl(value: unknown): string {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  if (url !== undefined && (url.username !== '' || url.password !== '')) {
    // Never echoed: the value carries a secret.
    throw new Error('custom.smokeTest.url must be an http(s) URL without user:password@');
  }
  if (url === undefined || !/^https?:$/.test(url.protocol)) {
    throw new Error(`custom.smokeTest.url must be an http(s) URL, not ${safeJson(value)}`);
  }
  return url.href;
}

/** custom.smokeTest.guardExemptRoles: at most 10 IAM role names (a path allowed), no wildcard. */
function exemptRoles(value: unknown): string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    value.length > 10 ||
    !value.every((name) => typeof name === 'string' && /^[\w+=,.@/-]{1,512}$/.test(name))
  ) {
    throw new Error(
      `custom.smokeTest.guardExemptRoles must be a list of at most 10 IAM role names (no wildcard), not ${safeJson(value)}`,
    );
  }
  return value;
}

/** Whether `custom.smokeTest.enforceLogLevel` is on (read before variables are resolved). */
export const enforcesLogLevel = (custom: unknown): boolean =>
  smokeTestConfig(custom).enforceLogLevel === true;

/** Reads `custom.smokeTest` against the service's functions; its one-line error when wrong. */
export function serviceGate(
  service: Pick<PackagedService, 'name' | 'stage' | 'region' | 'custom' | 'functions'>,
): ServiceGate | Error {
  try {
    const { name, stage, region } = service;
    const { functionName, contract, config } = readServiceContract(
      service.custom,
      service.functions,
    );
    for (const flag of ['enforceLogLevel', 'guardsOwnBucket']) {
      if (config[flag] !== undefined && typeof config[flag] !== 'boolean') {
        throw new Error(`custom.smokeTest.${flag} must be true or false`);
      }
    }
    const monitoring = readMonitoring(config.monitoring, { name, stage });
    const recordsKey = readRecordsKeyPin(config.recordsKey, 'custom.smokeTest.recordsKey');
    if (recordsKey instanceof Error) throw recordsKey;
    const traffic = readTraffic(config.traffic);
    const notForTraffic =
      traffic === undefined ? undefined : trafficProblem(service.functions?.[functionName]);
    if (notForTraffic !== undefined) throw new Error(notForTraffic);
    return {
      service: name,
      stage,
      region,
      functionName,
      contract,
      url: config.url === undefined ? undefined : routeUrl(config.url),
      monitoring,
      enforceLogLevel: config.enforceLogLevel === true,
      recordsKey,
      guardExemptRoles: exemptRoles(config.guardExemptRoles),
      traffic,
    };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Why the monitoring cannot be generated (checked at package time), or undefined. */
export function monitoringProblem(gate: ServiceGate): string | undefined {
  if (gate.monitoring === undefined) return undefined;
  if (Object.keys(gate.contract.logLine.json).length === 0) {
    return 'custom.smokeTest.monitoring counts the lines logLine.json describes: give logLine.json at least one key and value the line holds (its event name), or set monitoring: false';
  }
  // IAM's limit on a role name, the longest name the route heartbeat makes.
  const role = `${gate.service}-${gate.stage}-${gate.region}-route-heartbeat`;
  if (gate.monitoring.routeLine !== undefined && role.length > 64) {
    return `custom.smokeTest.monitoring.routeLine: the route heartbeat's role name ${role} is longer than IAM's 64 characters; shorten the service or stage name, or leave out routeLine`;
  }
  return undefined;
}

/**
 * The direct heartbeat on the gated function (only with `monitoring.directHeartbeat`), before the
 * framework compiles its events.
 */
export function addMonitoringEvents(
  service: Pick<PackagedService, 'functions'>,
  gate: ServiceGate,
): void {
  const problem = monitoringProblem(gate);
  if (problem !== undefined) throw new CouldNotJudgeError(problem);
  if (gate.monitoring === undefined || !heartbeatsOf(gate.monitoring).direct) return;
  const fn = service.functions?.[gate.functionName];
  if (fn === undefined) return;
  fn.events = [
    ...(fn.events ?? []),
    heartbeatEvent({ name: gate.service, stage: gate.stage }, gate.monitoring),
  ];
}

/** The one role the bucket guard lets write deployments: monitoring.deployRoleName, else `<service>-deploy`. */
export const guardedRoleName = (gate: ServiceGate): string =>
  gate.monitoring?.deployRoleName ?? `${gate.service}-deploy`;

/** The build stamp, the contract, the gate's outputs and the monitoring, on the compiled template. */
export function addGateToTemplate(service: PackagedService, gate: ServiceGate): string | undefined {
  const { template } = service;
  stampRelease(template as Parameters<typeof stampRelease>[0], service.serviceDir);
  if (template === undefined) return undefined;
  if (gate.enforceLogLevel) writeLoggingConfig(template as never, service.lambdaLogs);
  const fn = gate.functionName;
  addGateTemplate(template, {
    name: gate.service,
    stage: gate.stage,
    functionId: service.functionId(fn),
    logGroupId: service.logGroupId(fn),
    endpointUrl: gate.url ?? {
      'Fn::Join': ['', [{ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] }, gate.contract.path]],
    },
    boundary: service.boundary,
    contract: gate.contract,
    monitoring: gate.monitoring,
    deploymentPrefix: service.deploymentPrefix,
    recordsKey: gate.recordsKey,
  });
  if (gate.traffic !== undefined) {
    const traffic = gate.traffic;
    routeThroughAliases(template, {
      functionId: service.functionId(fn),
      path: gate.contract.path,
      traffic,
    });
  }
  // Versioned from the bucket's first day (the stack is created with the core template first).
  versionDeploymentBucket(service.coreResources ?? {});
  versionDeploymentBucket(template.Resources ?? {});
  return guardDeploymentBucket(template.Resources ?? {}, {
    deploymentPrefix: service.deploymentPrefix,
    service: gate.service,
    deployRoleName: guardedRoleName(gate),
    exemptRoles: gate.guardExemptRoles,
    cloudFormationRole: service.cloudFormationRole,
    guardsOwnBucket: smokeTestConfig(service.custom).guardsOwnBucket === true,
  });
}
