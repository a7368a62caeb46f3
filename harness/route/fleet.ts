import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type LogsStandIn, startLogsStandIn } from '../aws/logs-stand-in.ts';
import { type FleetRoute, type FleetStage, startFleetRoute } from './fleet-route.ts';

/** Four real region names, for fleets spread over regions. */
export const FLEET_REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'sa-east-1'] as const;

/** A fleet of stages on local stand-ins: their routes, their logs, their targets file. */
export interface Fleet {
  logs: LogsStandIn;
  route: FleetRoute;
  stages: FleetStage[];
  /** Writes the targets file (YAML) listing every stage by url and logGroup; returns its path. */
  writeTargetsFile(dir: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `size` stages spread round-robin over `regions`: the fleet route answers each one with
 * the function's own code and puts its line into the CloudWatch Logs stand-in, which enforces
 * the quota per region and shows each line only after the ingestion delay. `faults` breaks
 * the stages at those indexes.
 */
export async function startFleet(options: {
  size: number;
  regions?: readonly string[];
  quotaPerSecond: number;
  ingestionDelayMs: number;
  faults?: Record<number, FleetStage['fault']>;
}): Promise<Fleet> {
  const regions = options.regions ?? FLEET_REGIONS;
  const logs = await startLogsStandIn(options);
  const route = await startFleetRoute({
    ship: ({ stage, event }) => logs.put(stage.region, stage.logGroupName, event),
  });
  const stages = Array.from({ length: options.size }, (_, index): FleetStage => {
    const region = regions[index % regions.length] as string;
    const key = `stage${String(index + 1).padStart(3, '0')}`;
    const fault = options.faults?.[index];
    return {
      key,
      region,
      logGroupName: `/aws/lambda/petsage-smoke-test-${key}-health`,
      ...(fault === undefined ? {} : { fault }),
    };
  });
  for (const stage of stages) {
    route.add(stage);
    logs.createLogGroup(stage.region, stage.logGroupName);
  }
  return {
    logs,
    route,
    stages,
    async writeTargetsFile(dir) {
      const path = join(dir, 'targets.yml');
      const targets = stages.map((stage) => ({
        name: stage.key,
        url: route.urlOf(stage.key),
        logGroup: stage.logGroupName,
        region: stage.region,
      }));
      await writeFile(path, stringify({ targets }));
      return path;
    },
    stop: async () => {
      await route.stop();
      await logs.stop();
    },
  };
}
