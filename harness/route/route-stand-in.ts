import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readBody } from 'node:stream/consumers';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { toEvent } from '../lambda/http-api-event.ts';
import { seededRandom, stageThrottle } from './alias-route.ts';
import { servedCode } from './served-code.ts';

/** What the stand-in is serving now, for the test's assertions. */
export interface Served {
  /** The S3 key of the zip the stack points at (one per deployment). */
  codeKey: string;
  routes: string[];
  logGroupName: string;
}

/** One request the stand-in answered: the stage it came in on, the version that ran (traffic mode). */
export interface ServedRequest {
  stage: string;
  /** The function version that answered; undefined when no code ran (API Gateway's own answer). */
  version: string | undefined;
  /** The deployment's code key (S3) that answered, when code ran. */
  code?: string | undefined;
  status: number;
  /** When it was answered (epoch ms). */
  at: number;
}

/**
 * Which requests' lines are lost (a log path broken for one stage or version only: the traffic
 * mode's tests break the public stage of one version while its candidate stage works).
 */
export type DropWhen = (served: { stage: string; version: string | undefined }) => boolean;

/** A running route stand-in. */
export interface RouteStandIn {
  /** Base URL (http://127.0.0.1:port); the route path comes from the deployed template. */
  baseUrl: string;
  /** What the last request was served from, if any. */
  served(): Served | undefined;
  /** When true, the function's lines are not copied into CloudWatch Logs (a broken log path). */
  dropLines(drop: boolean | DropWhen): void;
  /** When true, every request gets API Gateway's 429 (a flood eating the route's throttle). */
  throttle(on: boolean): void;
  /** Every answered request, in order: its stage and the version that served it (traffic mode). */
  servedLog(): ServedRequest[];
  /** Requests that have arrived so far (served, held or queued). */
  received(): number;
  /** The correlation ids of the requests that have arrived so far, in order. */
  receivedIds(): string[];
  /** Invokes the deployed function with a non-HTTP event (the direct heartbeat), shipping its lines. */
  invokeDirect(event: unknown): Promise<void>;
  /**
   * Holds the next request (on `stage` only, when named: `$default` is the public route) until
   * release(); `arrived` resolves with its correlation id.
   */
  holdNext(stage?: string): { arrived: Promise<string>; release: () => void };
  stop(): Promise<void>;
}

/**
 * The route stand-in for a stack deployed to moto, which creates neither the HTTP API nor runs
 * Lambda: an HTTP server that serves **the code the stack points at now**. On each request it
 * reads the deployed template from moto (CloudFormation GetTemplate), and when the function's
 * code key changed (a deploy, a rollback), downloads that zip from the deployment bucket (moto
 * S3), unzips it and starts it under the runtime harness (aws-lambda-ric and the Runtime API
 * emulator) with the template's handler, environment and logging controls. Requests on the
 * template's route keys become HTTP API 2.0 events; anything else is API Gateway's 404. It also
 * plays Lambda's log agent: the function's output lines go into the stack's log group in moto.
 * In the traffic mode (docs/traffic.md) a request's stage names an alias and the version it points
 * at answers (served-code.ts, alias-route.ts); the event carries the path without the stage; a
 * weighted alias (a shift) runs the version a seeded pick by its weights chooses, as Lambda would.
 * Not proven by it: API Gateway itself (throttling, stages, TLS), Lambda's sandbox and scaling.
 */
export async function startRouteStandIn(options: {
  stackName: string;
  /** Seeds the pick of a weighted alias's version (a shift): the same requests, the same split. */
  seed?: number;
  aws: {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
}): Promise<RouteStandIn> {
  const cloudFormation = new CloudFormationClient(options.aws);
  const s3 = new S3Client({ ...options.aws, forcePathStyle: true });
  const logs = new CloudWatchLogsClient(options.aws);
  const lambda = new LambdaClient(options.aws);
  const code = servedCode({
    stackName: options.stackName,
    cloudFormation,
    s3,
    logs,
    lambda,
    random: seededRandom(options.seed ?? 1),
  });
  const servedLog: ServedRequest[] = [];
  const stageAllows = stageThrottle();
  let dropLines: boolean | DropWhen = false;
  const dropsFor = (stage: string, version: string | undefined) =>
    typeof dropLines === 'function' ? dropLines({ stage, version }) : dropLines;
  let throttled = false;
  let arrivals = 0;
  const arrivalIds: string[] = [];
  let hold:
    | { arrive: (id: string) => void; released: Promise<void>; stage: string | undefined }
    | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const tooMany = (res: ServerResponse) =>
    res
      .writeHead(429, { 'content-type': 'application/json' })
      .end('{"message":"Too Many Requests"}');

  const handle = async (req: IncomingMessage, res: ServerResponse, arrivedAt: number) => {
    const body = await readBody(req);
    if (throttled) {
      tooMany(res);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const resolved = await code.resolve(url.pathname);
    if (
      resolved.throttle !== undefined &&
      !stageAllows(resolved.stage, resolved.throttle, arrivedAt)
    ) {
      servedLog.push({ stage: resolved.stage, version: undefined, status: 429, at: Date.now() });
      tooMany(res);
      return;
    }
    if (hold !== undefined && (hold.stage === undefined || hold.stage === resolved.stage)) {
      const held = hold;
      hold = undefined;
      held.arrive(String(req.headers['x-correlation-id'] ?? ''));
      await held.released;
    }
    const routes = resolved.kind === 'code' ? resolved.deployed.routes : resolved.routes;
    const version = resolved.kind === 'code' ? resolved.deployed.version : undefined;
    const codeKey = resolved.kind === 'code' ? resolved.deployed.codeKey : undefined;
    const answered = (status: number) =>
      servedLog.push({ stage: resolved.stage, version, code: codeKey, status, at: Date.now() });
    if (!routes.has(`${req.method} ${resolved.path}`)) {
      answered(404);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    const internalError = () => {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"message":"Internal Server Error"}');
    };
    if (resolved.kind === 'error') {
      // API Gateway's answer when its integration cannot invoke the alias.
      servedLog.push({ stage: resolved.stage, version: undefined, status: 500, at: Date.now() });
      internalError();
      return;
    }
    const { deployed } = resolved;
    const routedUrl = new URL(resolved.path + url.search, url);
    const result = await deployed.api.invoke(toEvent(req, routedUrl, body));
    // Like Lambda's agent: a line that cannot be shipped (log group deleted) is lost, the answer is not.
    await code
      .shipLines(deployed, dropsFor(resolved.stage, deployed.version))
      .catch(() => undefined);
    if (result.kind === 'error') {
      answered(500);
      internalError();
      return;
    }
    const answer = JSON.parse(result.body) as {
      statusCode?: number;
      headers?: Record<string, string>;
      body?: string;
    };
    answered(answer.statusCode ?? 200);
    res.writeHead(answer.statusCode ?? 200, answer.headers ?? {});
    res.end(req.method === 'HEAD' ? undefined : (answer.body ?? ''));
  };

  const server = createServer((req, res) => {
    const arrivedAt = Date.now();
    arrivals++;
    arrivalIds.push(String(req.headers['x-correlation-id'] ?? ''));
    // One request at a time, as one Lambda execution environment serves them.
    queue = queue
      .then(() => handle(req, res, arrivedAt))
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502).end(String(error));
      });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    served: () => {
      const current = code.current();
      return current === undefined
        ? undefined
        : {
            codeKey: current.codeKey,
            routes: [...current.routes],
            logGroupName: current.logGroupName,
          };
    },
    holdNext: (stage) => {
      let arrive: (id: string) => void = () => undefined;
      let release: () => void = () => undefined;
      const arrived = new Promise<string>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      hold = { arrive, released, stage };
      return { arrived, release };
    },
    dropLines: (drop) => {
      dropLines = drop;
    },
    throttle: (on) => {
      throttled = on;
    },
    servedLog: () => [...servedLog],
    received: () => arrivals,
    receivedIds: () => [...arrivalIds],
    invokeDirect: (event) => {
      const invoked = queue.then(async () => {
        const deployed = await code.refresh();
        await deployed.api.invoke(event);
        await code
          .shipLines(deployed, dropsFor('$default', deployed.version))
          .catch(() => undefined);
      });
      queue = invoked.catch(() => undefined);
      return invoked;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await queue.catch(() => undefined);
      await code.stopAll();
    },
  };
}
