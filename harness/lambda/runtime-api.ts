import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readBody } from 'node:stream/consumers';

/** What the runtime answered for one invocation. */
export interface InvocationResult {
  requestId: string;
  kind: 'response' | 'error';
  body: string;
  /** The Lambda-Runtime-Function-Error-Type header of an error. */
  errorType: string | undefined;
  /** ms from the runtime fetching the invocation (`next` served) to posting its result. */
  durationMs: number;
}

/** An init error the runtime posted to /init/error. */
export interface InitError {
  errorType: string | undefined;
  body: string;
}

/** Options of one invocation. */
export interface InvokeOptions {
  requestId?: string;
  traceId?: string;
  /** Lambda-Runtime-Deadline-Ms = now + this (default 5 s, the function's timeout). */
  timeoutMs?: number;
}

/** A Lambda Runtime API (2018-06-01) emulator on 127.0.0.1. */
export interface RuntimeApi {
  /** host:port for AWS_LAMBDA_RUNTIME_API. */
  address: string;
  functionArn: string;
  /** Queues an event and resolves with what the runtime posted for it. */
  invoke(event: unknown, options?: InvokeOptions): Promise<InvocationResult>;
  /** Resolves the first time the runtime asks for work: Init is over. */
  firstNext: Promise<number>;
  /** Resolves when the runtime posts /init/error. */
  initError: Promise<InitError>;
  stop(): Promise<void>;
}

interface Pending {
  requestId: string;
  event: string;
  headers: Record<string, string>;
  servedAt?: number;
  resolve: (result: InvocationResult) => void;
}

/**
 * Starts the Runtime API the way Lambda's RAPID serves it to a runtime: `GET …/invocation/next`
 * (long-poll, with the request id, deadline, function ARN and trace id headers), `POST
 * …/invocation/{id}/response`, `…/{id}/error` and `…/init/error`. What it does not do: the
 * sandbox, the log shipping to CloudWatch, freezing between invocations, or the extension API.
 */
export async function startRuntimeApi(
  functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:petsage-smoke-test-test-health',
): Promise<RuntimeApi> {
  const queue: Pending[] = [];
  const inFlight = new Map<string, Pending>();
  const waiting: ServerResponse[] = [];
  let resolveFirstNext: (at: number) => void = () => undefined;
  let resolveInitError: (error: InitError) => void = () => undefined;
  const firstNext = new Promise<number>((resolve) => {
    resolveFirstNext = resolve;
  });
  const initError = new Promise<InitError>((resolve) => {
    resolveInitError = resolve;
  });

  const serve = (res: ServerResponse, pending: Pending) => {
    pending.servedAt = performance.now();
    inFlight.set(pending.requestId, pending);
    res
      .writeHead(200, { 'content-type': 'application/json', ...pending.headers })
      .end(pending.event);
  };

  const server = createServer(async (req, res) => {
    const url = req.url ?? '';
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      resolveFirstNext(performance.now());
      const next = queue.shift();
      if (next !== undefined) serve(res, next);
      else waiting.push(res);
      return;
    }
    if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
      resolveInitError({
        errorType: req.headers['lambda-runtime-function-error-type'] as string | undefined,
        body,
      });
      res.writeHead(202).end('{"status":"OK"}');
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    const pending = match ? inFlight.get(decodeURIComponent(match[1] ?? '')) : undefined;
    if (req.method === 'POST' && match && pending) {
      inFlight.delete(pending.requestId);
      pending.resolve({
        requestId: pending.requestId,
        kind: match[2] as 'response' | 'error',
        body,
        errorType: req.headers['lambda-runtime-function-error-type'] as string | undefined,
        durationMs: performance.now() - (pending.servedAt ?? performance.now()),
      });
      res.writeHead(202).end('{"status":"OK"}');
      return;
    }
    res.writeHead(404).end('{"errorMessage":"unknown path"}');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    functionArn,
    firstNext,
    initError,
    invoke: (event, options = {}) =>
      new Promise((resolve) => {
        const requestId = options.requestId ?? randomUUID();
        const headers: Record<string, string> = {
          'lambda-runtime-aws-request-id': requestId,
          'lambda-runtime-deadline-ms': String(Date.now() + (options.timeoutMs ?? 5_000)),
          'lambda-runtime-invoked-function-arn': functionArn,
        };
        if (options.traceId !== undefined) headers['lambda-runtime-trace-id'] = options.traceId;
        const pending: Pending = { requestId, event: JSON.stringify(event), headers, resolve };
        const res = waiting.shift();
        if (res !== undefined) serve(res, pending);
        else queue.push(pending);
      }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
