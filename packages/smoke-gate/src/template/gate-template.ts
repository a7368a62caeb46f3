// What the plugin adds to the service's template at package time: the contract in Metadata (where
// the CLI reads it), the outputs the gate reads, and the generated monitoring.

import { contractConfig } from '../core/contract-config.ts';
import { watchedLinesConfig } from '../core/watched-lines.ts';
import type { RecordsKeyPin } from '../deployments/records-key-pin.ts';
import { heartbeatsOf, type MonitoringSettings } from './monitoring-config.ts';
import { dashboard, monitoringOutputs, smokeQuery } from './monitoring-dashboard.ts';
import {
  lineAlarms,
  type MonitoredService,
  metricFilters,
  parametersAndConditions,
} from './monitoring-resources.ts';
import { routeHeartbeat } from './monitoring-route.ts';
import { alarmTopic } from './monitoring-topic.ts';

/** The Metadata key the contract is stored under. */
export const GATE_METADATA = 'SmokeGate';

/** A compiled template, as far as the plugin writes to it. */
export interface GateTemplate {
  Metadata?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

/** Adds the contract, the gate's outputs and (unless off) the monitoring to the template. */
export function addGateTemplate(
  template: GateTemplate,
  service: Omit<MonitoredService, 'monitoring'> & {
    monitoring: MonitoringSettings | undefined;
    deploymentPrefix: string;
    /** The records key (alias or ARN) the CLI checks this stage's records with. */
    recordsKey?: RecordsKeyPin | undefined;
  },
): void {
  template.Metadata = {
    ...template.Metadata,
    [GATE_METADATA]: {
      Contract: contractConfig(service.contract),
      DeploymentPrefix: service.deploymentPrefix,
      // The lines `status` tells apart: through the route, and the failure line.
      ...(service.monitoring === undefined
        ? {}
        : {
            WatchedLines: watchedLinesConfig(
              service.monitoring.routeLine,
              service.monitoring.failureLine,
              heartbeatsOf(service.monitoring).direct,
            ),
          }),
      ...(service.recordsKey === undefined ? {} : { RecordsKey: service.recordsKey }),
    },
  };
  template.Outputs = {
    ...template.Outputs,
    HealthEndpointUrl: {
      Description: 'Full URL of the route the smoke test calls',
      Value: service.endpointUrl,
    },
    HealthLogGroupName: {
      Description: 'CloudWatch Logs group of the function the smoke test calls',
      Value: { Ref: service.logGroupId },
    },
  };
  const { monitoring } = service;
  if (monitoring === undefined) return;
  const monitored = { ...service, monitoring };
  const { Parameters, Conditions } = parametersAndConditions(monitoring);
  const alarms = { ...lineAlarms(monitored), ...routeHeartbeat(monitored) };
  const alarmIds = Object.keys(alarms).filter((id) => id.endsWith('Alarm'));
  template.Parameters = { ...template.Parameters, ...Parameters };
  template.Conditions = { ...template.Conditions, ...Conditions };
  template.Resources = {
    ...template.Resources,
    ...metricFilters(monitored),
    ...alarms,
    ...alarmTopic(monitored),
    ...dashboard(monitored, alarmIds),
    ...smokeQuery(monitored),
  };
  template.Outputs = { ...template.Outputs, ...monitoringOutputs(monitored, new Set(alarmIds)) };
}

/** The direct heartbeat: EventBridge invokes the function itself on the schedule. */
export function heartbeatEvent(
  service: { name: string; stage: string },
  monitoring: MonitoringSettings,
) {
  return {
    schedule: {
      name: `${service.name}-${service.stage}-heartbeat`,
      description: 'Smoke test heartbeat (the line keeps arriving between deploys)',
      rate: [monitoring.schedule],
      enabled: monitoring.heartbeat,
    },
  };
}
