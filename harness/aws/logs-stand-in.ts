import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readBody } from 'node:stream/consumers';
import { BASE_ACCOUNT, createStsStandIn } from './sts-stand-in.ts';

/** Where a log group lives: an account (the base account when left out) and a region. */
export interface LogsPlace {
  account?: string | undefined;
  region: string;
}

/** What the stand-in counted in one account and region. */
export interface RegionCalls {
  account: string;
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
  /** Writes a line into a log group; it shows only after the ingestion delay. */
  put(place: LogsPlace, logGroupName: string, event: { timestamp: number; message: string }): void;
  /** Creates an empty log group (a target whose function never writes). */
  createLogGroup(place: LogsPlace, logGroupName: string): void;
  /** A role in another account that STS lets the CLI assume (with `externalId`, if given). */
  addRole(roleArn: string, externalId?: string): void;
  /** FilterLogEvents calls per account and region. */
  calls(): RegionCalls[];
  /** STS calls: AssumeRole and GetCallerIdentity, answered or refused. */
  stsCalls(): { assumeRole: number; getCallerIdentity: number };
  stop(): Promise<void>;
}

interface Stored {
  timestamp: number;
  message: string;
  visibleAt: number;
  stream: string;
}

/** The key and region a SigV4-signed request was signed with: `Credential=AKID/date/<region>/...`. */
const signerOf = (authorization: string | undefined) => {
  const match = /Credential=([^/]{1,128})\/\d{8}\/([^/]{1,32})\//.exec(authorization ?? '');
  return { accessKeyId: match?.[1] ?? '', region: match?.[2] ?? 'unsigned' };
};

/**
 * A CloudWatch Logs stand-in for the fleet bench and tests: FilterLogEvents over the AWS JSON 1.1
 * protocol, per account and region (the region from the request's SigV4 scope, the account from
 * its access key: keys from AssumeRole act in the role's account, through the STS stand-in on the
 * same endpoint, and any other key in BASE_ACCOUNT), with the quota enforced as the service does
 * (ThrottlingException past `quotaPerSecond` calls in any second of one account and region) and
 * each line visible only `ingestionDelayMs` after it was put. Filter patterns are taken as one
 * quoted term. Not proven by it: the real quota's token bucket and bursts, pagination, IAM (any
 * key reads any group of its account), the filter pattern language.
 */
export async function startLogsStandIn(options: {
  quotaPerSecond: number;
  ingestionDelayMs: number;
  now?: () => number;
}): Promise<LogsStandIn> {
  const now = options.now ?? Date.now;
  const groups = new Map<string, Stored[]>();
  const arrivals = new Map<string, { times: number[]; accepted: number[]; throttled: number }>();
  const sts = createStsStandIn({ now });
  const placeOf = (place: LogsPlace) => `${place.account ?? BASE_ACCOUNT}\u0000${place.region}`;
  const key = (place: LogsPlace, group: string) => `${placeOf(place)}\u0000${group}`;

  const countArrival = (place: LogsPlace): boolean => {
    const entry = arrivals.get(placeOf(place)) ?? { times: [], accepted: [], throttled: 0 };
    arrivals.set(placeOf(place), entry);
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

  const filter = (place: LogsPlace, input: Record<string, unknown>) => {
    const stored = groups.get(key(place, String(input.logGroupName)));
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
    const { accessKeyId, region } = signerOf(req.headers.authorization);
    if (sts.serves(body)) {
      const { status, xml } = sts.answer(accessKeyId, body);
      res.writeHead(status, { 'content-type': 'text/xml' });
      return res.end(xml);
    }
    const place = { account: sts.accountOfKey(accessKeyId), region };
    if (req.headers['x-amz-target'] !== 'Logs_20140328.FilterLogEvents') {
      return answer(
        400,
        { message: 'only FilterLogEvents is stood in' },
        'UnknownOperationException',
      );
    }
    if (!countArrival(place))
      return answer(400, { message: 'Rate exceeded' }, 'ThrottlingException');
    const events = filter(place, JSON.parse(body || '{}') as Record<string, unknown>);
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

  const createLogGroup = (place: LogsPlace, logGroupName: string) => {
    if (!groups.has(key(place, logGroupName))) groups.set(key(place, logGroupName), []);
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    createLogGroup,
    addRole: (roleArn, externalId) => sts.addRole(roleArn, externalId),
    stsCalls: () => sts.counts(),
    put(place, logGroupName, event) {
      createLogGroup(place, logGroupName);
      groups.get(key(place, logGroupName))?.push({
        ...event,
        visibleAt: now() + options.ingestionDelayMs,
        stream: '2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef',
      });
    },
    calls: () =>
      [...arrivals.entries()].map(([place, entry]) => ({
        account: place.split('\u0000')[0] as string,
        region: place.split('\u0000')[1] as string,
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
