import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { FLEET_REGIONS, type Fleet, startFleet } from '../../harness/route/fleet.ts';
import type { FleetReport } from '../../packages/smoke-gate/src/fleet/run-fleet.ts';
import { runCliProcess } from '../helpers/cli.ts';

// Stand-ins, named: the fleet route (harness/route/fleet-route.ts) answers each stage with the
// function's own respondToSmokeTest, and a CloudWatch Logs stand-in (harness/aws/logs-stand-in.ts)
// serves FilterLogEvents per region, throttles past the quota and shows each line only after an
// ingestion delay. Not proven here: API Gateway, Lambda, the real quota's token bucket, the
// filter pattern language (the moto suite and the deploy suite cover the AWS-shaped paths).

const WRONG = 7;

let fleet: Fleet;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-fleet-'));
  fleet = await startFleet({
    size: 40,
    quotaPerSecond: 2,
    ingestionDelayMs: 1_000,
    faults: { [WRONG]: 'wrong-answer' },
  });
});

afterAll(async () => {
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('verify over 40 targets in 4 regions', () => {
  it('reports every target, fails the run on the one wrong target, and keeps every region within its budget', async () => {
    // Prepare
    const targets = await fleet.writeTargetsFile(dir);
    const junit = join(dir, 'reports', 'fleet.xml');
    const summary = join(dir, 'summary.md');
    await writeFile(summary, '# earlier step\n');
    // Act
    const run = await runCliProcess(
      [
        'verify',
        '--targets',
        targets,
        // This service's contract, for targets (bare URLs) that carry none.
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
    // Assess
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as FleetReport;
    expect(report.targets).toHaveLength(40);
    expect(report.summary).toStrictEqual({
      targets: 40,
      verified: 39,
      failed: 1,
      couldNotJudge: 0,
    });
    const wrong = fleet.stages[WRONG]?.key;
    for (const entry of report.targets) {
      expect(entry.verdict).toBe(entry.name === wrong ? 'failed' : 'verified');
    }
    expect(new Set(report.targets.map((entry) => entry.region))).toStrictEqual(
      new Set(FLEET_REGIONS),
    );
    // One testsuite and one job-summary row per target, after what earlier steps wrote.
    const xml = await readFile(junit, 'utf8');
    expect([...xml.matchAll(/<testsuite name=/g)]).toHaveLength(40);
    const markdown = await readFile(summary, 'utf8');
    expect(
      markdown.startsWith(
        '# earlier step\n### Smoke gate: 39 verified, 1 failed, 0 could not judge',
      ),
    ).toBe(true);
    expect(markdown.split('\n').filter((line) => /^\| stage\d{3} \|/.test(line))).toHaveLength(40);
    // At the stand-in: no region saw more than 2 calls in any second, and none was throttled.
    const calls = fleet.logs.calls();
    expect(calls.map((c) => c.region).sort()).toStrictEqual([...FLEET_REGIONS].sort());
    for (const region of calls) {
      // At most the budget (how close to it a busy machine gets is not the point), never throttled.
      expect(region.peakIn(1000), region.region).toBeLessThanOrEqual(2);
      expect(region.throttled, region.region).toBe(0);
      expect(region.calls, region.region).toBeGreaterThanOrEqual(10);
    }
  }, 180_000);
});

describe('verify of one target', () => {
  it('appends its one row to the job summary too', async () => {
    // Prepare
    const stage = fleet.stages[0];
    const summary = join(dir, 'one.md');
    // Act
    const run = await runCliProcess(
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
      ],
      { ...fleet.env, GITHUB_STEP_SUMMARY: summary },
    );
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PASS: verified in/m);
    const rows = (await readFile(summary, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('| http'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/\| eu-west-1 \| 200 in \d+ ms \| \d+\.\d s \| ✅ verified \|$/);
  }, 60_000);
});

describe('a bad targets file', () => {
  it.each([
    [
      'duplicate names',
      'targets:\n  - {name: a, stage: dev}\n  - {name: a, stage: prod}\n',
      /entry 2: name "a" is already entry 1's/,
    ],
    [
      'a region typo',
      'targets:\n  - {stage: dev, region: eu-wst-1}\n',
      /entry 1: unknown region "eu-wst-1" \(did you mean eu-west-1\?\)/,
    ],
  ])(
    'is refused at once with exit 2 and one line (%s)',
    async (_, text, message) => {
      // Prepare
      const path = join(dir, 'bad.yml');
      await writeFile(path, text);
      // Act: no endpoint override, so the region is checked against the SDK's own table.
      const run = await runCliProcess(['verify', '--targets', path], fleet.env);
      // Assess
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    },
    30_000,
  );
});
