import type {
  FilterLogEventsCommand,
  FilterLogEventsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../../packages/smoke-gate/src/aws/aws-clients.ts';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { STATUS_DEFAULTS } from '../../../../packages/smoke-gate/src/core/defaults.ts';
import {
  narrowingTerm,
  readSmokeLines,
  storedWatchedLines,
  type WatchedLines,
} from '../../../../packages/smoke-gate/src/status/heartbeat-lines.ts';
import { fakeClock } from '../../../helpers/fake-clock.ts';

const HOUR = 3_600_000;

/** PetSage's lines: raw JSON, `trigger` tells the route's apart, a failure event. */
const PETSAGE_LINES: WatchedLines = {
  smoke: { json: { event: 'smoke_test_executed' }, required: [], formats: ['stdout-json'] },
  route: { key: 'trigger', values: ['route-heartbeat', 'http'] },
  failure: { event: 'smoke_test_failed' },
};
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
      PETSAGE_LINES,
      { startTime: now - 24 * HOUR, recentFrom: now - 30 * 60_000 },
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
    // CloudWatch's ingestion lag of the 50 newest lines read: 800 ms each.
    expect(lines.lagsMs).toStrictEqual(Array.from({ length: 50 }, () => 800));
  });
});

/** A log group holding `messages` (one a minute, the last one now), answered in one page. */
function groupOf(now: number, messages: string[]) {
  const calls: string[] = [];
  const events = messages.map((message, index) => ({
    timestamp: now - (messages.length - 1 - index) * 60_000,
    message,
  }));
  const client = {
    send: async (command: FilterLogEventsCommand) => {
      const pattern = command.input.filterPattern ?? '';
      calls.push(pattern);
      const term = pattern.replaceAll('"', '');
      return { events: events.filter((e) => e.message.includes(term)) };
    },
  };
  return { clients: { logs: () => client } as unknown as AwsClients, calls };
}

/** The plain-JS example's lines (examples/plain-js-service): `via` tells the route's apart. */
const EXAMPLE_LINES = (formats: WatchedLines['smoke']['formats']): WatchedLines => ({
  smoke: { json: { msg: 'ping_done' }, required: ['service'], formats },
  route: { key: 'via', values: ['http'] },
});

const ping = (via: string) => JSON.stringify({ msg: 'ping_done', service: 'orders', via });
const REQUEST_ID = '3f1c2b9e-2f0a-4a58-9d4e-1b2c3d4e5f60';

describe('readSmokeLines in the line formats a service names', () => {
  const now = Date.parse('2026-12-07T06:00:00.000Z');
  const read = (clients: AwsClients, watched: WatchedLines) =>
    readSmokeLines(
      {
        aws: { region: 'us-east-1' },
        deadline: createDeadline(now + 60_000, () => now),
        clients,
        now: () => now,
      },
      '/aws/lambda/orders-prod-ping',
      watched,
      { startTime: now - HOUR },
    );

  it.each([
    ['lambda-text', (line: string) => `2026-12-07T05:58:00.000Z\t${REQUEST_ID}\tINFO\t${line}\n`],
    [
      'lambda-json',
      (line: string) =>
        JSON.stringify({
          timestamp: '2026-12-07T05:58:00.000Z',
          level: 'INFO',
          requestId: REQUEST_ID,
          message: line,
        }),
    ],
    ['stdout-json', (line: string) => line],
  ] as const)(
    "finds the direct heartbeat and the route line by the service's own keys in %s",
    async (format, wrap) => {
      // Prepare
      const { clients, calls } = groupOf(now, [
        `START RequestId: ${REQUEST_ID} Version: $LATEST`,
        wrap(ping('schedule')),
        wrap(ping('http')),
        wrap(JSON.stringify({ msg: 'ping_done', via: 'schedule' })),
      ]);
      // Act
      const lines = await read(clients, EXAMPLE_LINES([format]));
      // Assess: the last line lacks the required `service`, so the direct heartbeat is the first.
      expect(lines.direct?.timestamp).toBe(now - 2 * 60_000);
      expect(lines.route).toStrictEqual({ timestamp: now - 60_000, trigger: 'http' });
      expect(lines.lineTimes).toHaveLength(2);
      expect(calls).toStrictEqual(['"ping_done"']);
    },
  );

  it('counts route lines as the heartbeat of a stage without a direct one', async () => {
    // Prepare: the example's default monitoring: the route heartbeat only.
    const { clients } = groupOf(now, [ping('schedule'), ping('http')]);
    // Act
    const lines = await read(clients, {
      ...EXAMPLE_LINES(['stdout-json']),
      directHeartbeat: false,
    });
    // Assess
    expect(lines.direct?.timestamp).toBe(now);
    expect(lines.route?.timestamp).toBe(now);
  });

  it('does not count a line in a format the contract does not name', async () => {
    // Prepare: a Text-format line, the contract saying raw JSON only.
    const { clients } = groupOf(now, [
      `2026-12-07T05:58:00.000Z\t${REQUEST_ID}\tINFO\t${ping('schedule')}`,
    ]);
    // Act
    const lines = await read(clients, EXAMPLE_LINES(['stdout-json']));
    // Assess
    expect(lines.direct).toBeUndefined();
    expect(lines.lineTimes).toStrictEqual([]);
  });

  it('counts every smoke line as direct when the service names no route line, and reads no failures', async () => {
    // Prepare
    const { clients, calls } = groupOf(now, [ping('http'), JSON.stringify({ event: 'x' })]);
    // Act
    const lines = await read(clients, { smoke: EXAMPLE_LINES(['stdout-json']).smoke });
    // Assess
    expect(lines.direct?.timestamp).toBe(now - 60_000);
    expect(lines.route).toBeUndefined();
    expect(lines.failureTimes).toStrictEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('counts the failure lines the service names, and no line that only looks like one', async () => {
    // Prepare
    const { clients } = groupOf(now, [
      JSON.stringify({ event: 'smoke_test_failed', trigger: 'http' }),
      JSON.stringify({ event: 'smoke_test_failed_twice' }),
      'smoke_test_failed, said in plain text',
    ]);
    // Act
    const lines = await read(clients, PETSAGE_LINES);
    // Assess
    expect(lines.failureTimes).toStrictEqual([now - 2 * 60_000]);
  });
});

describe('narrowingTerm', () => {
  it.each([
    [{ msg: 'ping_done', level: 'INFO' }, '"ping_done"'],
    [{ ok: true, code: 7 }, ''],
    [{ msg: 'say "hi"', other: 'plain' }, '"plain"'],
    [{}, ''],
  ])('narrows %j by %s', (pairs, term) => {
    expect(narrowingTerm(pairs)).toBe(term);
  });
});

describe('storedWatchedLines', () => {
  it("reads the contract's line and the monitoring's route and failure lines from the metadata", () => {
    // Act
    const watched = storedWatchedLines('orders-prod', {
      Contract: { logLine: { format: 'lambda-text', json: { msg: 'ping_done' } } },
      WatchedLines: {
        routeLine: { key: 'via', values: ['http'] },
        failureLine: { msg: 'ping_failed' },
      },
    });
    // Assess
    expect(watched).toStrictEqual({
      smoke: expect.objectContaining({ json: { msg: 'ping_done' }, formats: ['lambda-text'] }),
      route: { key: 'via', values: ['http'] },
      failure: { msg: 'ping_failed' },
      directHeartbeat: true,
    });
    expect(
      storedWatchedLines('orders-prod', { Contract: {}, WatchedLines: { directHeartbeat: false } })
        ?.directHeartbeat,
    ).toBe(false);
  });

  it('is undefined for a stack that stores no contract', () => {
    expect(storedWatchedLines('orders-prod', undefined)).toBeUndefined();
    expect(storedWatchedLines('orders-prod', { DeploymentPrefix: 'x' })).toBeUndefined();
  });

  it('refuses a stored route line that is not valid, in one line naming the stack', () => {
    expect(() =>
      storedWatchedLines('orders-prod', {
        Contract: {},
        WatchedLines: { routeLine: { key: 'via', values: [] } },
      }),
    ).toThrow(
      /^stack orders-prod: its route line \(template Metadata\) is not valid: custom\.smokeTest\.monitoring\.routeLine\.values must list 1 to 8 values$/,
    );
  });
});
