// Many targets in one run: 1, 10, 100 and 400 targets over 4 regions, then 400 over 4 accounts x
// 4 regions (three of them read through a role), `petsage-smoke verify --targets` as a user runs
// it (a fresh process), against the fleet route (the function's own code per stage) and a
// CloudWatch Logs stand-in that enforces the quota per account and region, answers STS, and shows
// each line only after an ingestion delay.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeScript } from '../harness/project/node-script.ts';
import { GATE_CLI } from '../harness/project/project.ts';
import { FLEET_ACCOUNTS, FLEET_REGIONS, startFleet } from '../harness/route/fleet.ts';
import { MANY_TARGETS_DEFAULTS } from '../packages/smoke-gate/src/core/defaults.ts';
import type { FleetReport } from '../packages/smoke-gate/src/fleet/run-fleet.ts';
import { log } from './settings.ts';

/** The fleets measured (targets, the accounts and regions they spread over), and the delay. */
export const FLEET_RUNS = [
  { targets: 1, accounts: 1, regions: 1 },
  { targets: 10, accounts: 1, regions: 4 },
  { targets: 100, accounts: 1, regions: 4 },
  { targets: 400, accounts: 1, regions: 4 },
  { targets: 400, accounts: 4, regions: 4 },
] as const;
export const FLEET_INGESTION_DELAY_MS = 2_000;

/** One account-region of a run, as the stand-in counted its FilterLogEvents calls. */
export interface FleetPlace {
  account: string;
  region: string;
  targets: number;
  calls: number;
  peakCallsPerSecond: number;
  throttled: number;
}

export interface FleetFigures {
  targets: number;
  accounts: number;
  regions: number;
  /** Spawn to exit of the CLI: every verdict in. */
  allVerdictsMs: number;
  /** The goal: ingestion delay + targets per account-region / budget + 2 s. */
  goalMs: number;
  verified: number;
  /** Targets whose JSON entry names the account they are in. */
  accountNamed: number;
  /** The most calls the stand-in saw arrive in any one second, in the busiest account-region. */
  peakCallsPerSecond: number;
  budgetPerSecond: number;
  throttled: number;
  filterLogEventsCalls: number;
  maxRssMb: number;
  /** Each account-region side by side. */
  places: FleetPlace[];
}

/** One row per fleet. */
export async function measureFleet(): Promise<FleetFigures[]> {
  const budget = MANY_TARGETS_DEFAULTS.logsRatePerSecond;
  const rows: FleetFigures[] = [];
  for (const { targets: size, accounts, regions } of FLEET_RUNS) {
    const fleet = await startFleet({
      size,
      regions: FLEET_REGIONS.slice(0, regions),
      accounts: FLEET_ACCOUNTS.slice(0, accounts),
      quotaPerSecond: budget,
      ingestionDelayMs: FLEET_INGESTION_DELAY_MS,
    });
    const dir = await mkdtemp(join(tmpdir(), 'petsage-bench-fleet-'));
    try {
      const file = await fleet.writeTargetsFile(dir);
      const run = await runNodeScript(
        GATE_CLI,
        [
          'verify',
          '--targets',
          file,
          '--endpoint-url',
          fleet.logs.endpoint,
          '--json',
          '--timeout',
          '600',
        ],
        fleet.env,
        { measureMemory: true },
      );
      const report = JSON.parse(run.stdout) as FleetReport;
      const calls = fleet.logs.calls();
      const perPlace = Math.ceil(size / (accounts * regions));
      const row: FleetFigures = {
        targets: size,
        accounts,
        regions,
        allVerdictsMs: Math.round(run.seconds * 1000),
        goalMs: FLEET_INGESTION_DELAY_MS + (perPlace / budget) * 1000 + 2000,
        verified: report.summary.verified,
        accountNamed: report.targets.filter(
          (entry, index) => entry.account === fleet.stages[index]?.account,
        ).length,
        peakCallsPerSecond: Math.max(...calls.map((c) => c.peakIn(1000))),
        budgetPerSecond: budget,
        throttled: calls.reduce((sum, c) => sum + c.throttled, 0),
        filterLogEventsCalls: calls.reduce((sum, c) => sum + c.calls, 0),
        maxRssMb: Number(((run.maxRssKb ?? Number.NaN) / 1024).toFixed(1)),
        places: calls.map((c) => ({
          account: c.account,
          region: c.region,
          targets: fleet.stages.filter((s) => s.account === c.account && s.region === c.region)
            .length,
          calls: c.calls,
          peakCallsPerSecond: c.peakIn(1000),
          throttled: c.throttled,
        })),
      };
      log(
        `fleet ${size} (${accounts} x ${regions}): ${JSON.stringify({ ...row, places: undefined })}`,
      );
      rows.push(row);
    } finally {
      await fleet.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
