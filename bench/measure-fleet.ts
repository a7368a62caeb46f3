// Many targets in one run: 1, 10, 100 and 400 targets over 4 regions, `petsage-smoke verify
// --targets` as a user runs it (a fresh process), against the fleet route (the function's own
// code per stage) and a CloudWatch Logs stand-in that enforces the per-region quota and shows
// each line only after an ingestion delay.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeScript } from '../harness/project/node-script.ts';
import { GATE_CLI } from '../harness/project/project.ts';
import { startFleet } from '../harness/route/fleet.ts';
import { VERIFY_DEFAULTS } from '../packages/smoke-gate/src/core/defaults.ts';
import type { FleetReport } from '../packages/smoke-gate/src/fleet/run-fleet.ts';
import { log } from './settings.ts';

/** The fleet sizes measured, the regions they spread over, and the stand-in's settings. */
export const FLEET_SIZES = [1, 10, 100, 400] as const;
export const FLEET_REGION_COUNT = 4;
export const FLEET_INGESTION_DELAY_MS = 2_000;

export interface FleetFigures {
  targets: number;
  regions: number;
  /** Spawn to exit of the CLI: every verdict in. */
  allVerdictsMs: number;
  /** The goal: ingestion delay + targets per region / budget + 2 s. */
  goalMs: number;
  verified: number;
  /** The most calls the stand-in saw arrive in any one second, in the busiest region. */
  peakCallsPerSecond: number;
  budgetPerSecond: number;
  throttled: number;
  filterLogEventsCalls: number;
  maxRssMb: number;
}

/** One row per fleet size. */
export async function measureFleet(): Promise<FleetFigures[]> {
  const budget = VERIFY_DEFAULTS.logsRatePerSecond;
  const rows: FleetFigures[] = [];
  for (const size of FLEET_SIZES) {
    const regions = Math.min(size, FLEET_REGION_COUNT);
    const fleet = await startFleet({
      size,
      regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'sa-east-1'].slice(0, regions),
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
        { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'eu-west-1' },
        { measureMemory: true },
      );
      const report = JSON.parse(run.stdout) as FleetReport;
      const calls = fleet.logs.calls();
      const row: FleetFigures = {
        targets: size,
        regions,
        allVerdictsMs: Math.round(run.seconds * 1000),
        goalMs: FLEET_INGESTION_DELAY_MS + (Math.ceil(size / regions) / budget) * 1000 + 2000,
        verified: report.summary.verified,
        peakCallsPerSecond: Math.max(...calls.map((c) => c.peakIn(1000))),
        budgetPerSecond: budget,
        throttled: calls.reduce((sum, c) => sum + c.throttled, 0),
        filterLogEventsCalls: calls.reduce((sum, c) => sum + c.calls, 0),
        maxRssMb: Number(((run.maxRssKb ?? Number.NaN) / 1024).toFixed(1)),
      };
      log(`fleet ${size}: ${JSON.stringify(row)}`);
      rows.push(row);
    } finally {
      await fleet.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
