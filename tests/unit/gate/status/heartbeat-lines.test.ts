import type {
  FilterLogEventsCommand,
  FilterLogEventsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../../packages/smoke-gate/src/aws/aws-clients.ts';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { STATUS_DEFAULTS } from '../../../../packages/smoke-gate/src/core/defaults.ts';
import { readSmokeLines } from '../../../../packages/smoke-gate/src/status/heartbeat-lines.ts';
import { fakeClock } from '../../../helpers/fake-clock.ts';

const HOUR = 3_600_000;
const PAGE = 100;

/**
 * A log group under steady traffic: a smoke line through the route every 10 s for the last 24 h,
 * and a direct heartbeat every 5 min. FilterLogEvents answers as CloudWatch does: oldest first,
 * PAGE events a page, within startTime and endTime.
 */
function steadyTraffic(now: number) {
  const events: FilterLogEventsResponse['events'] = [];
  for (let t = now - 24 * HOUR; t <= now; t += 10_000) {
    const trigger = t % 300_000 === 0 ? 'schedule' : 'http';
    events.push({
      timestamp: t,
      ingestionTime: t + 800,
      message: JSON.stringify({ event: 'smoke_test_executed', trigger, timestamp: new Date(t) }),
    });
  }
  const calls: { startTime?: number; endTime?: number; filterPattern?: string }[] = [];
  const client = {
    send: async (command: FilterLogEventsCommand) => {
      const {
        startTime = 0,
        endTime = Number.POSITIVE_INFINITY,
        nextToken,
        filterPattern,
      } = command.input;
      calls.push({ startTime, endTime, filterPattern });
      if (filterPattern === '"smoke_test_failed"') return { events: [] };
      const inWindow = events.filter(
        (e) => (e.timestamp ?? 0) >= startTime && (e.timestamp ?? 0) <= endTime,
      );
      const from = Number(nextToken ?? 0);
      const page = inWindow.slice(from, from + PAGE);
      const next = from + PAGE < inWindow.length ? String(from + PAGE) : undefined;
      return { events: page, nextToken: next };
    },
  };
  const clients = { logs: () => client } as unknown as AwsClients;
  return { clients, calls };
}

describe('readSmokeLines', () => {
  it('finds the newest heartbeat under steady traffic, past the page cap of a day of lines', async () => {
    // Prepare
    const clock = fakeClock(Date.parse('2026-12-02T06:00:00.000Z'));
    const now = clock.now();
    const { clients, calls } = steadyTraffic(now);
    // Act
    const lines = await readSmokeLines(
      {
        aws: { region: 'eu-west-1' },
        deadline: createDeadline(now + 600_000, clock.now),
        clients,
        now: clock.now,
        sleep: clock.sleep,
      },
      '/aws/lambda/petsage-smoke-test-prod-health',
      now - 24 * HOUR,
      now - 30 * 60_000,
    );
    // Assess
    expect(lines.direct?.timestamp).toBe(now);
    expect(lines.route?.timestamp).toBe(now - 10_000);
    expect(calls[0]?.startTime).toBe(now - 30 * 60_000);
    expect(calls.filter((c) => c.startTime === now - 24 * HOUR).length).toBeLessThan(
      STATUS_DEFAULTS.statusMaxPages,
    );
    const smokeCalls = calls.filter((c) => c.filterPattern === '"smoke_test_executed"');
    expect(smokeCalls).toHaveLength(STATUS_DEFAULTS.statusMaxPages);
  });
});
