import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { type Fleet, startFleet } from '../../harness/route/fleet.ts';
import type { FleetReport } from '../../packages/smoke-gate/src/fleet/run-fleet.ts';
import { startCliProcess } from '../helpers/cli.ts';

// Stand-ins, named: the fleet route (harness/route/fleet-route.ts) answers each stage with the
// function's own respondToSmokeTest, and the CloudWatch Logs stand-in (harness/aws/logs-stand-in.ts)
// serves FilterLogEvents. One stage ships no line, so its verification waits for the deadline:
// the signal always comes while the gate is still working. The signal goes to the CLI's own pid,
// as a CI runner's cancel does. Not proven here: a terminal's process group (every process gets
// SIGINT at once), GitHub's own cancel timing. The deploy hook's interruption is in deploy-moto.

/** The stage that ships no line: its verification is always unfinished when the signal comes. */
const SILENT = 3;

let fleet: Fleet;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-interrupted-'));
  fleet = await startFleet({
    size: 4,
    quotaPerSecond: 5,
    ingestionDelayMs: 200,
    faults: { [SILENT]: 'no-line' },
  });
});

afterAll(async () => {
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Waits (under a generous bound) until the fleet route has answered `count` calls. */
async function routeCalls(count: number): Promise<void> {
  for (let tries = 0; tries < 600 && fleet.route.received() < count; tries++) await sleep(100);
}

describe('a verification stopped by a signal', () => {
  it('says SIGINT stopped it before a verdict, writes interrupted to JSON and JUnit, exit 130', async () => {
    // Prepare
    const stage = fleet.stages[SILENT];
    const junit = join(dir, 'one.xml');
    const before = fleet.route.received();
    const started = startCliProcess(
      [
        'verify',
        '--url',
        fleet.route.urlOf(stage?.key ?? ''),
        '--log-group',
        stage?.logGroupName ?? '',
        '--region',
        stage?.region ?? '',
        '--endpoint-url',
        fleet.logs.endpoint,
        '--json',
        '--junit',
        junit,
        '--timeout',
        '120',
      ],
      fleet.env,
    );
    // Act: once the route answered, the CLI waits for a line that never comes.
    await routeCalls(before + 1);
    started.child.kill('SIGINT');
    const run = await started.done;
    // Assess
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(
      /smoke-gate: interrupted by SIGINT before a verdict: .* was not verified by this run/,
    );
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      verdict: 'interrupted',
      signal: 'SIGINT',
      error: { exitCode: 130 },
    });
    const xml = await readFile(junit, 'utf8');
    expect(xml).toContain('<property name="verdict" value="interrupted"/>');
    expect(xml).toMatch(/<failure [^>]*interrupted by SIGINT/);
  }, 180_000);

  it('reports every unfinished target of a fleet run as interrupted on SIGTERM, exit 143', async () => {
    // Prepare
    const targets = await fleet.writeTargetsFile(dir);
    const junit = join(dir, 'fleet.xml');
    const summary = join(dir, 'summary.md');
    const before = fleet.route.received();
    const started = startCliProcess(
      [
        'verify',
        '--targets',
        targets,
        '--contract',
        join(PROJECT_DIR, 'serverless.yml'),
        '--endpoint-url',
        fleet.logs.endpoint,
        '--json',
        '--junit',
        junit,
        '--timeout',
        '120',
      ],
      { ...fleet.env, GITHUB_STEP_SUMMARY: summary },
    );
    // Act: every route answered; the silent stage's line never comes.
    await routeCalls(before + fleet.stages.length);
    started.child.kill('SIGTERM');
    const run = await started.done;
    // Assess
    expect(run.code, run.stderr).toBe(143);
    expect(run.stderr).toMatch(/interrupted by SIGTERM: \d of 4 targets had no verdict yet/);
    const report = JSON.parse(run.stdout) as FleetReport;
    expect(report.verdict).toBe('interrupted');
    expect(report.targets).toHaveLength(4);
    const silent = fleet.stages[SILENT]?.key;
    for (const entry of report.targets) {
      if (entry.name === silent) expect(entry.verdict).toBe('interrupted');
      else expect(['verified', 'interrupted']).toContain(entry.verdict);
    }
    const interrupted = report.targets.filter((entry) => entry.verdict === 'interrupted').length;
    expect(report.summary.interrupted).toBe(interrupted);
    const xml = await readFile(junit, 'utf8');
    expect([...xml.matchAll(/<testsuite name=/g)]).toHaveLength(4);
    expect([...xml.matchAll(/name="verdict" value="interrupted"/g)]).toHaveLength(interrupted);
    expect(await readFile(summary, 'utf8')).toMatch(
      new RegExp(`\\| ${silent} \\| .* \\| ⏹️ INTERRUPTED: interrupted before a verdict \\|`),
    );
  }, 180_000);
});
