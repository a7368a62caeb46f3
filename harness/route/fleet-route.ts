import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readBody } from 'node:stream/consumers';
import type { Logger } from '@aws-lambda-powertools/logger';
import { SMOKE_LOG_LEVEL } from '../../lib/contract.ts';
import { respondToSmokeTest } from '../../lib/smoke-test.ts';
import { toEvent } from '../lambda/http-api-event.ts';
import { lambdaContext } from '../lambda/lambda-context.ts';

/** One stage behind the fleet route: where its lines go, and how it is broken, if it is. */
export interface FleetStage {
  /** The first path segment: `/<key>/health`. */
  key: string;
  region: string;
  /** The account whose logs it writes to (the stand-in's base account when left out). */
  account?: string;
  /** The role the CLI assumes to read it, when it is in another account. */
  roleArn?: string;
  logGroupName: string;
  /** `wrong-answer`: the route answers 200 from another integration; `no-line`: no line is shipped. */
  fault?: 'wrong-answer' | 'no-line';
}

/** A line the function wrote, for the caller to put where its log group is. */
export interface ShippedLine {
  stage: FleetStage;
  event: { timestamp: number; message: string };
}

/** A running fleet route. */
export interface FleetRoute {
  /** The health route URL of one stage. */
  urlOf(key: string): string;
  add(stage: FleetStage): void;
  /** Route requests that arrived so far. */
  received(): number;
  /** Invokes a stage's function with a non-HTTP event (the direct heartbeat) and ships its line. */
  invokeDirect(key: string, event: unknown): Promise<void>;
  stop(): Promise<void>;
}

/** Catches the function's one line, wrapped as Powertools wraps it (level, time, service, request id). */
const lineCatcher = (service: string, requestId: string, lines: string[]) =>
  ({
    info: (message: string, keys: Record<string, unknown>) =>
      lines.push(
        JSON.stringify({
          level: SMOKE_LOG_LEVEL,
          message,
          timestamp: new Date().toISOString(),
          service,
          function_request_id: requestId,
          ...keys,
        }),
      ),
  }) as unknown as Logger;

/**
 * Many stages' health routes on one local server, for the fleet tests and bench: each request
 * on `/<stage key>/health` becomes an HTTP API 2.0 event answered by the function's own
 * `respondToSmokeTest`, and its line is handed to `ship` (the caller plays Lambda's log agent:
 * moto, or the quota-enforcing CloudWatch Logs stand-in). Not proven by it: API Gateway,
 * Lambda, the Powertools Logger itself (its envelope is written here with the same keys), and
 * the deployed bundle (the runtime harness and deploy suites prove those).
 */
export async function startFleetRoute(options: {
  ship: (line: ShippedLine) => void | Promise<void>;
  service?: string;
}): Promise<FleetRoute> {
  const service = options.service ?? 'petsage-smoke-test';
  const stages = new Map<string, FleetStage>();
  let received = 0;
  /** One invocation of the stage's function: its answer and the lines it wrote. */
  const invoke = (stage: FleetStage, event: unknown) => {
    const context = lambdaContext({ logGroupName: stage.logGroupName });
    const lines: string[] = [];
    const result = respondToSmokeTest(event, context, {
      config: { service, stage: stage.key, version: '1.0.0', releaseId: 'fleet' },
      logger: lineCatcher(service, context.awsRequestId, lines),
      now: () => new Date(),
    });
    return { result, lines };
  };
  const ship = async (stage: FleetStage, lines: string[]) => {
    if (stage.fault === 'no-line') return;
    for (const message of lines)
      await options.ship({ stage, event: { timestamp: Date.now(), message } });
  };
  const server = createServer(async (req, res) => {
    received++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, key, rest] = url.pathname.split('/');
    const stage = stages.get(key ?? '');
    const body = await readBody(req);
    if (
      stage === undefined ||
      rest !== 'health' ||
      (req.method !== 'GET' && req.method !== 'HEAD')
    ) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end('{"message":"Not Found"}');
    }
    if (stage.fault === 'wrong-answer') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"message":"Hello from another integration"}');
    }
    const context = lambdaContext({ logGroupName: stage.logGroupName });
    const lines: string[] = [];
    const result = respondToSmokeTest(toEvent(req, url, body), context, {
      config: {
        service,
        stage: stage.key,
        version: '1.0.0',
        releaseId: 'fleet',
      },
      logger: lineCatcher(service, context.awsRequestId, lines),
      now: () => new Date(),
    });
    res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    res.end(result.body);
    if (stage.fault === 'no-line') return;
    for (const message of lines)
      await options.ship({ stage, event: { timestamp: Date.now(), message } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urlOf: (key) => `http://127.0.0.1:${port}/${key}/health`,
    add: (stage) => void stages.set(stage.key, stage),
    received: () => received,
    async invokeDirect(key, event) {
      const stage = stages.get(key);
      if (stage === undefined) throw new Error(`no stage ${key} behind the fleet route`);
      await ship(stage, invoke(stage, event).lines);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
