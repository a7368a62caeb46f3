import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readBody } from 'node:stream/consumers';

/** What the stand-in counted in one region. */
export interface RegionCalls {
  region: string;
  /** FilterLogEvents calls that arrived (answered and throttled). */
  calls: number;
  throttled: number;
  /** The most calls that arrived in any window of `windowMs` (1000: the quota's own second). */
  peakIn(windowMs: number): number;
}

/** A running CloudWatch Logs stand-in. */
export interface LogsStandIn {
  endpoint: string;
  /** Writes a line into a region's log group; it shows only after the ingestion delay. */
  put(region: string, logGroupName: string, event: { timestamp: number; message: string }): void;
  /** Creates an empty log group (a target whose function never writes). */
  createLogGroup(region: string, logGroupName: string): void;
  calls(): RegionCalls[];
  stop(): Promise<void>;
}

interface Stored {
  timestamp: number;
  message: string;
  visibleAt: number;
  stream: string;
}

/** The region a SigV4-signed request was signed for: `Credential=AKID/date/<region>/logs/...`. */
const regionOf = (authorization: string | undefined) =>
  /Credential=[^/]+\/\d{8}\/([^/]+)\/logs\//.exec(authorization ?? '')?.[1] ?? 'unsigned';

/**
 * A CloudWatch Logs stand-in for the fleet bench and tests: FilterLogEvents over the AWS JSON 1.1
 * protocol, per region (read from the request's SigV4 scope), with the quota enforced as the
 * service does (ThrottlingException past `quotaPerSecond` calls in any second of one region) and
 * each line visible only `ingestionDelayMs` after it was put. Filter patterns are taken as one
 * quoted term. Not proven by it: the real quota's token bucket and bursts, pagination, account
 * boundaries, the filter pattern language.
 */
export async function startLogsStandIn(options: {
  quotaPerSecond: number;
  ingestionDelayMs: number;
  now?: () => number;
}): Promise<LogsStandIn> {
  const now = options.now ?? Date.now;
  const groups = new Map<string, Stored[]>();
  const arrivals = new Map<string, { times: number[]; accepted: number[]; throttled: number }>();
  const key = (region: string, group: string) => `${region}\u0000${group}`;

  const countArrival = (region: string): boolean => {
    const entry = arrivals.get(region) ?? { times: [], accepted: [], throttled: 0 };
    arrivals.set(region, entry);
    const at = now();
    entry.times.push(at);
    // As the service does: a throttled call does not use up the quota.
    if (entry.accepted.filter((time) => time > at - 1000).length >= options.quotaPerSecond) {
      entry.throttled++;
      return false;
    }
    entry.accepted.push(at);
    return true;
  };

  const filter = (region: string, input: Record<string, unknown>) => {
    const stored = groups.get(key(region, String(input.logGroupName)));
    if (stored === undefined) return undefined;
    const term = String(input.filterPattern ?? '').replace(/^"|"$/g, '');
    const startTime = Number(input.startTime ?? 0);
    const at = now();
    return stored
      .filter((e) => e.visibleAt <= at && e.timestamp >= startTime && e.message.includes(term))
      .map((e, index) => ({
        logStreamName: e.stream,
        timestamp: e.timestamp,
        ingestionTime: e.visibleAt,
        message: e.message,
        eventId: String(index),
      }));
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const answer = (status: number, payload: object, type?: string) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        ...(type === undefined ? {} : { 'x-amzn-errortype': type }),
      });
      res.end(JSON.stringify(type === undefined ? payload : { __type: type, ...payload }));
    };
    const region = regionOf(req.headers.authorization);
    if (req.headers['x-amz-target'] !== 'Logs_20140328.FilterLogEvents') {
      return answer(
        400,
        { message: 'only FilterLogEvents is stood in' },
        'UnknownOperationException',
      );
    }
    if (!countArrival(region))
      return answer(400, { message: 'Rate exceeded' }, 'ThrottlingException');
    const events = filter(region, JSON.parse(body || '{}') as Record<string, unknown>);
    if (events === undefined) {
      return answer(
        400,
        { message: 'The specified log group does not exist.' },
        'ResourceNotFoundException',
      );
    }
    answer(200, { events, searchedLogStreams: [] });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const createLogGroup = (region: string, logGroupName: string) => {
    if (!groups.has(key(region, logGroupName))) groups.set(key(region, logGroupName), []);
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    createLogGroup,
    put(region, logGroupName, event) {
      createLogGroup(region, logGroupName);
      groups.get(key(region, logGroupName))?.push({
        ...event,
        visibleAt: now() + options.ingestionDelayMs,
        stream: '2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef',
      });
    },
    calls: () =>
      [...arrivals.entries()].map(([region, entry]) => ({
        region,
        calls: entry.times.length,
        throttled: entry.throttled,
        peakIn: (windowMs: number) => {
          let peak = 0;
          let first = 0;
          entry.times.forEach((time, index) => {
            while ((entry.times[first] ?? time) <= time - windowMs) first++;
            peak = Math.max(peak, index - first + 1);
          });
          return peak;
        },
      })),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
