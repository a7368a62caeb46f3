import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type LogsStandIn, startLogsStandIn } from '../aws/logs-stand-in.ts';
import { BASE_ACCOUNT } from '../aws/sts-stand-in.ts';
import { type FleetRoute, type FleetStage, startFleetRoute } from './fleet-route.ts';

/** Four real region names, for fleets spread over regions. */
export const FLEET_REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'sa-east-1'] as const;

/** Four accounts: the stand-in's base account (the run's own) and three member accounts. */
export const FLEET_ACCOUNTS = [
  BASE_ACCOUNT,
  '222222222222',
  '333333333333',
  '444444444444',
] as const;

/** The external id every member account's verify role asks of the CLI, in fleets over accounts. */
export const FLEET_EXTERNAL_ID = 'petsage-ci';

/** The verify role a stage in another account is read through (`n` > 1: a second role there). */
export const fleetRoleArn = (account: string, n = 1): string =>
  `arn:aws:iam::${account}:role/petsage-smoke-verify${n > 1 ? `-${n}` : ''}`;

/** A fleet of stages on local stand-ins: their routes, their logs, their targets file. */
export interface Fleet {
  logs: LogsStandIn;
  route: FleetRoute;
  stages: FleetStage[];
  /** The environment of a CLI run over the fleet: keys the stand-in takes as the base account's. */
  env: Record<string, string>;
  /** Writes the targets file (YAML) listing every stage by url and logGroup; returns its path. */
  writeTargetsFile(dir: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `size` stages spread round-robin over `accounts` x `regions` (default: the stand-in's
 * base account alone): the fleet route answers each one with the function's own code and puts
 * its line into the CloudWatch Logs stand-in, which enforces the quota per account and region and
 * shows each line only after the ingestion delay. A stage in an account other than the base one
 * is read through a verify role there (one of `rolesPerAccount`, in turn, with FLEET_EXTERNAL_ID),
 * which the stand-in's STS lets the CLI assume. `faults` breaks the stages at those indexes.
 */
export async function startFleet(options: {
  size: number;
  regions?: readonly string[];
  accounts?: readonly string[];
  rolesPerAccount?: number;
  quotaPerSecond: number;
  ingestionDelayMs: number;
  faults?: Record<number, FleetStage['fault']>;
}): Promise<Fleet> {
  const regions = options.regions ?? FLEET_REGIONS;
  const accounts = options.accounts ?? [BASE_ACCOUNT];
  const places = accounts.length * regions.length;
  const logs = await startLogsStandIn(options);
  const route = await startFleetRoute({
    ship: ({ stage, event }) => logs.put(stage, stage.logGroupName, event),
  });
  const stages = Array.from({ length: options.size }, (_, index): FleetStage => {
    const region = regions[index % regions.length] as string;
    const account = accounts[Math.floor(index / regions.length) % accounts.length] as string;
    const role = (Math.floor(index / places) % (options.rolesPerAccount ?? 1)) + 1;
    const key = `stage${String(index + 1).padStart(3, '0')}`;
    const fault = options.faults?.[index];
    return {
      key,
      region,
      account,
      ...(account === BASE_ACCOUNT ? {} : { roleArn: fleetRoleArn(account, role) }),
      logGroupName: `/aws/lambda/petsage-smoke-test-${key}-health`,
      ...(fault === undefined ? {} : { fault }),
    };
  });
  for (const stage of stages) {
    route.add(stage);
    logs.createLogGroup(stage, stage.logGroupName);
    if (stage.roleArn !== undefined) logs.addRole(stage.roleArn, FLEET_EXTERNAL_ID);
  }
  return {
    logs,
    route,
    stages,
    env: {
      AWS_ACCESS_KEY_ID: 'fleet',
      AWS_SECRET_ACCESS_KEY: 'fleet',
      AWS_REGION: FLEET_REGIONS[0],
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_CONFIG_FILE: '/nonexistent/config',
    },
    async writeTargetsFile(dir) {
      const path = join(dir, 'targets.yml');
      const targets = stages.map((stage) => ({
        name: stage.key,
        url: route.urlOf(stage.key),
        logGroup: stage.logGroupName,
        region: stage.region,
        ...(stage.roleArn === undefined
          ? {}
          : { roleArn: stage.roleArn, externalId: FLEET_EXTERNAL_ID }),
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
