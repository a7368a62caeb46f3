import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readBody } from 'node:stream/consumers';
import {
  CloudFormationClient,
  DescribeStackResourceCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { createLogAgent, type LogAgent } from '../aws/log-agent.ts';
import { type RunningCode, startDeployedCode } from '../lambda/deployed-code.ts';
import { toEvent } from '../lambda/http-api-event.ts';
import { healthFunction, resourcesOfType, type Template } from '../project/packaged.ts';

/** What the stand-in is serving now, for the test's assertions. */
export interface Served {
  /** The S3 key of the zip the stack points at (one per deployment). */
  codeKey: string;
  routes: string[];
  logGroupName: string;
}

/** A running route stand-in. */
export interface RouteStandIn {
  /** Base URL (http://127.0.0.1:port); the route path comes from the deployed template. */
  baseUrl: string;
  /** What the last request was served from, if any. */
  served(): Served | undefined;
  /** When true, the function's lines are not copied into CloudWatch Logs (a broken log path). */
  dropLines(drop: boolean): void;
  /** When true, every request gets API Gateway's 429 (a flood eating the route's throttle). */
  throttle(on: boolean): void;
  /** Requests that have arrived so far (served, held or queued). */
  received(): number;
  /** The correlation ids of the requests that have arrived so far, in order. */
  receivedIds(): string[];
  /** Invokes the deployed function with a non-HTTP event (the direct heartbeat), shipping its lines. */
  invokeDirect(event: unknown): Promise<void>;
  /** Holds the next request until release(); `arrived` resolves with its correlation id. */
  holdNext(): { arrived: Promise<string>; release: () => void };
  stop(): Promise<void>;
}

interface Deployed extends RunningCode {
  codeKey: string;
  routes: Set<string>;
  logGroupName: string;
  shipped: { stdout: number; stderr: number };
  agent: LogAgent;
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
 * Not proven by it: API Gateway itself (throttling, stages, TLS), Lambda's sandbox and scaling.
 */
export async function startRouteStandIn(options: {
  stackName: string;
  aws: {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
}): Promise<RouteStandIn> {
  const cloudFormation = new CloudFormationClient(options.aws);
  const s3 = new S3Client({ ...options.aws, forcePathStyle: true });
  const logs = new CloudWatchLogsClient(options.aws);
  let current: Deployed | undefined;
  let dropLines = false;
  let throttled = false;
  let arrivals = 0;
  const arrivalIds: string[] = [];
  let hold: { arrive: (id: string) => void; released: Promise<void> } | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const physicalId = async (logicalId: string) =>
    (
      await cloudFormation.send(
        new DescribeStackResourceCommand({
          StackName: options.stackName,
          LogicalResourceId: logicalId,
        }),
      )
    ).StackResourceDetail?.PhysicalResourceId ?? '';

  const stopCurrent = async () => {
    await current?.stop();
    current = undefined;
  };

  /** Makes `current` the code the stack points at now. */
  const refresh = async (): Promise<Deployed> => {
    const { TemplateBody } = await cloudFormation.send(
      new GetTemplateCommand({ StackName: options.stackName }),
    );
    const template = JSON.parse(TemplateBody ?? '{}') as Template;
    const fn = healthFunction(template);
    const code = fn.Properties.Code as { S3Key: string };
    const routes = new Set(
      resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) =>
        String(route.Properties.RouteKey),
      ),
    );
    const group = resourcesOfType(template, 'AWS::Logs::LogGroup')[0]?.[1].Properties;
    if (current?.codeKey === code.S3Key) {
      current.routes = routes;
      return current;
    }
    await stopCurrent();
    const running = await startDeployedCode({
      s3,
      bucket: await physicalId('ServerlessDeploymentBucket'),
      key: code.S3Key,
      fn,
    });
    current = {
      ...running,
      codeKey: code.S3Key,
      routes,
      logGroupName: String(group?.LogGroupName),
      shipped: { stdout: 0, stderr: 0 },
      agent: createLogAgent({ logs, logGroupName: String(group?.LogGroupName) }),
    };
    return current;
  };

  /** Plays Lambda's log agent: ships new output lines of the function into its log group. */
  const shipLines = async (deployed: Deployed) => {
    for (let i = 0; i < 50; i++) {
      const text = deployed.runtime.stdout() + deployed.runtime.stderr();
      if (text.length > deployed.shipped.stdout + deployed.shipped.stderr) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const fresh = (which: 'stdout' | 'stderr') => {
      const text = deployed.runtime[which]();
      const end = text.lastIndexOf('\n') + 1;
      const lines = text.slice(deployed.shipped[which], end).split('\n').filter(Boolean);
      deployed.shipped[which] = Math.max(end, deployed.shipped[which]);
      return lines;
    };
    const lines = [...fresh('stdout'), ...fresh('stderr')];
    if (dropLines) return;
    await deployed.agent.ship(lines.map((message) => ({ timestamp: Date.now(), message })));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (throttled) {
      res
        .writeHead(429, { 'content-type': 'application/json' })
        .end('{"message":"Too Many Requests"}');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const deployed = await refresh();
    if (hold !== undefined) {
      const held = hold;
      hold = undefined;
      held.arrive(String(req.headers['x-correlation-id'] ?? ''));
      await held.released;
    }
    if (!deployed.routes.has(`${req.method} ${url.pathname}`)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    const result = await deployed.api.invoke(toEvent(req, url, body));
    // Like Lambda's agent: a line that cannot be shipped (log group deleted) is lost, the answer is not.
    await shipLines(deployed).catch(() => undefined);
    if (result.kind === 'error') {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"message":"Internal Server Error"}');
      return;
    }
    const answer = JSON.parse(result.body) as {
      statusCode?: number;
      headers?: Record<string, string>;
      body?: string;
    };
    res.writeHead(answer.statusCode ?? 200, answer.headers ?? {});
    res.end(req.method === 'HEAD' ? undefined : (answer.body ?? ''));
  };

  const server = createServer((req, res) => {
    arrivals++;
    arrivalIds.push(String(req.headers['x-correlation-id'] ?? ''));
    // One request at a time, as one Lambda execution environment serves them.
    queue = queue
      .then(() => handle(req, res))
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502).end(String(error));
      });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    served: () =>
      current === undefined
        ? undefined
        : {
            codeKey: current.codeKey,
            routes: [...current.routes],
            logGroupName: current.logGroupName,
          },
    holdNext: () => {
      let arrive: (id: string) => void = () => undefined;
      let release: () => void = () => undefined;
      const arrived = new Promise<string>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      hold = { arrive, released };
      return { arrived, release };
    },
    dropLines: (drop) => {
      dropLines = drop;
    },
    throttle: (on) => {
      throttled = on;
    },
    received: () => arrivals,
    receivedIds: () => [...arrivalIds],
    invokeDirect: (event) => {
      const invoked = queue.then(async () => {
        const deployed = await refresh();
        await deployed.api.invoke(event);
        await shipLines(deployed).catch(() => undefined);
      });
      queue = invoked.catch(() => undefined);
      return invoked;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await queue.catch(() => undefined);
      await stopCurrent();
    },
  };
}
