// CloudWatch Logs quotas are per account and region: one run over three accounts and two regions
// keeps each account-region within its own budget, and two roles in one account share that
// account's. Stand-ins, named: the fleet route (harness/route/fleet-route.ts) answers each stage
// with the function's own respondToSmokeTest; the CloudWatch Logs stand-in
// (harness/aws/logs-stand-in.ts) counts and throttles FilterLogEvents per account and region,
// and answers STS on the same endpoint (harness/aws/sts-stand-in.ts): AssumeRole for the roles it
// was given (with their external id), GetCallerIdentity by access key. Not proven here: IAM and
// trust policies, the real quota's token bucket, the real STS (the moto suite
// fleet-accounts-moto covers the AWS-shaped calls, a role that cannot be assumed included).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { FLEET_ACCOUNTS, type Fleet, startFleet } from '../../harness/route/fleet.ts';
import type { FleetReport } from '../../packages/smoke-gate/src/fleet/run-fleet.ts';
import { runCliProcess } from '../helpers/cli.ts';

/** The run's own account and two member accounts, each member read through two roles. */
const ACCOUNTS = FLEET_ACCOUNTS.slice(0, 3);
const REGIONS = ['eu-west-1', 'us-east-1'] as const;
const QUOTA = 2;
/** Six targets in each of the six account-regions, read through two roles in each member account. */
const SIZE = 36;

let fleet: Fleet;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-fleet-accounts-'));
  fleet = await startFleet({
    size: SIZE,
    regions: REGIONS,
    accounts: ACCOUNTS,
    rolesPerAccount: 2,
    quotaPerSecond: QUOTA,
    ingestionDelayMs: 1_000,
  });
});

afterAll(async () => {
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `verify --targets` over the fleet, as the CI's own credentials (the stand-in's base account). */
const verifyTargets = (file: string) =>
  runCliProcess(
    [
      'verify',
      '--targets',
      file,
      '--contract',
      join(PROJECT_DIR, 'serverless.yml'),
      '--endpoint-url',
      fleet.logs.endpoint,
      '--json',
      '--timeout',
      '120',
    ],
    fleet.env,
  );

const placesOf = (rows: { account?: string | null; region: string | null }[]) =>
  rows.map((row) => `${row.account} ${row.region}`).sort();

describe('verify over three accounts and two regions', () => {
  it('verifies each target in its own account and keeps every account-region within its own budget', async () => {
    // Prepare
    const targets = await fleet.writeTargetsFile(dir);
    const everyPlace = ACCOUNTS.flatMap((account) => REGIONS.map((r) => `${account} ${r}`)).sort();
    // Act
    const run = await verifyTargets(targets);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as FleetReport;
    expect(report.summary.verified).toBe(SIZE);
    for (const [index, entry] of report.targets.entries()) {
      expect(entry.account, entry.name).toBe(fleet.stages[index]?.account);
    }
    // The CLI kept one budget per account-region: the two roles of an account shared theirs.
    expect(placesOf(report.logCalls)).toStrictEqual(everyPlace);
    // Each role was assumed once, and each set of credentials asked its account once.
    expect(fleet.logs.stsCalls()).toStrictEqual({ assumeRole: 4, getCallerIdentity: 5 });
    // At the stand-in: every account-region searched, none over its quota in any second.
    const calls = fleet.logs.calls();
    expect(placesOf(calls)).toStrictEqual(everyPlace);
    for (const place of calls) {
      const name = `${place.account} ${place.region}`;
      expect(place.peakIn(1000), name).toBeLessThanOrEqual(QUOTA);
      expect(place.throttled, name).toBe(0);
      expect(place.calls, name).toBeGreaterThanOrEqual(6);
    }
  }, 180_000);
});

describe('a member account whose role cannot be assumed', () => {
  it('fails only the targets read through it, in one line each, and verifies the rest', async () => {
    // Prepare: the first member account's targets ask with the wrong external id.
    const member = ACCOUNTS[1];
    const file = await fleet.writeTargetsFile(dir);
    const { targets } = parse(await readFile(file, 'utf8')) as {
      targets: { name: string; roleArn?: string; externalId?: string }[];
    };
    const denied = new Set<string>();
    for (const target of targets) {
      if (target.roleArn?.includes(`::${member}:`)) {
        target.externalId = 'not-the-one';
        denied.add(target.name);
      }
    }
    const wrongIdFile = join(dir, 'wrong-external-id.yml');
    await writeFile(wrongIdFile, stringify({ targets }));
    // Act
    const run = await verifyTargets(wrongIdFile);
    // Assess
    expect(run.code, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout) as FleetReport;
    expect(denied.size).toBe(SIZE / ACCOUNTS.length);
    expect(report.summary).toMatchObject({
      verified: SIZE - denied.size,
      couldNotJudge: denied.size,
    });
    for (const entry of report.targets.filter((e) => denied.has(e.name))) {
      expect(entry.verdict).toBe('error');
      expect(entry.account).toBe(member);
      expect(entry.error).toMatch(
        /^role arn:aws:iam::222222222222:role\/petsage-smoke-verify(-2)? could not be assumed: AccessDenied: The external id does not match/,
      );
      expect(entry.error).not.toContain('\n');
    }
  }, 180_000);
});
