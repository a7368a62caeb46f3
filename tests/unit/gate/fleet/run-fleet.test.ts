import { describe, expect, it } from 'vitest';
import type { FleetTarget } from '../../../../packages/smoke-gate/src/fleet/fleet-targets.ts';
import { forEachTarget } from '../../../../packages/smoke-gate/src/fleet/run-fleet.ts';

const target = (name: string, region: string | undefined): FleetTarget => ({
  name,
  region,
  request: { stage: name, service: 'petsage-smoke-test' },
  source: `--stage ${name}`,
});

const TARGETS = [
  target('a', 'eu-west-1'),
  target('b', 'us-east-1'),
  target('c', 'eu-west-1'),
  target('d', undefined),
];

describe('forEachTarget', () => {
  it('gives targets in one region one budget and one set of clients, and each its own region', async () => {
    // Act
    const { entries } = await forEachTarget(
      { targets: TARGETS, aws: { region: 'eu-west-1', profile: 'ops' } },
      async (t, share) => ({ name: t.name, share }),
    );
    // Assess
    const [a, b, c, d] = entries.map((entry) => entry.share);
    expect(entries.map((entry) => [entry.name, entry.share.aws.region])).toStrictEqual([
      ['a', 'eu-west-1'],
      ['b', 'us-east-1'],
      ['c', 'eu-west-1'],
      ['d', 'eu-west-1'],
    ]);
    expect(c?.budget).toBe(a?.budget);
    expect(d?.budget).toBe(a?.budget);
    expect(b?.budget).not.toBe(a?.budget);
    expect(c?.clients).toBe(a?.clients);
    expect(a?.aws.profile).toBe('ops');
  });

  it("keeps the targets order whatever order they finish in, and counts each region's calls", async () => {
    // Act
    const { entries, logCalls } = await forEachTarget(
      { targets: TARGETS, aws: { region: 'eu-west-1' }, logsRatePerSecond: 3 },
      async (t, share) => {
        const slot = await share.budget.take(Date.now() + 60_000);
        slot?.settled();
        await new Promise((resolve) => setTimeout(resolve, t.name === 'a' ? 30 : 1));
        return t.name;
      },
    );
    // Assess
    expect(entries).toStrictEqual(['a', 'b', 'c', 'd']);
    expect(logCalls).toStrictEqual([
      { region: 'eu-west-1', calls: 3, peakPerSecond: 3, budgetPerSecond: 3 },
      { region: 'us-east-1', calls: 1, peakPerSecond: 1, budgetPerSecond: 3 },
    ]);
  });

  it('runs no more pieces of pooled work at once than its concurrency', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const many = Array.from({ length: 12 }, (_, i) => target(`s${i}`, 'eu-west-1'));
    // Act
    await forEachTarget({ targets: many, aws: {}, concurrency: 4 }, (_, share) =>
      share.limit(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running--;
      }),
    );
    // Assess
    expect(most).toBe(4);
  });
});
