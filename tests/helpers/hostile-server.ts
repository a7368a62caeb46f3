import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server of the test's own, stopped by the test. */
export interface HostileServer {
  url: string;
  /** Every request's arrival time (epoch ms) and body, in order. */
  requests: { at: number; target: string; body: string }[];
  stop(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 with a free port that answers with `handler`. Used as a hostile
 * endpoint and as a hostile AWS API (CloudWatch Logs' and CloudFormation's wire protocols).
 */
export async function startHostileServer(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<HostileServer> {
  const requests: HostileServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (body.length < 1_000_000) body += chunk;
    });
    req.on('end', () => {
      requests.push({ at: Date.now(), target: String(req.headers['x-amz-target'] ?? ''), body });
      handler(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Answers a CloudWatch Logs (awsJson1_1) call with a JSON body. */
export const answerLogs = (res: ServerResponse, status: number, body: object) =>
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));

/** A CloudWatch Logs error as the service sends it. */
export const logsError = (res: ServerResponse, status: number, type: string, message: string) =>
  answerLogs(res, status, { __type: type, message });

/** The health function's answer for a request, with optional overrides. */
export function healthAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  overrides: { headers?: Record<string, string>; body?: Record<string, unknown> } = {},
) {
  const id = String(req.headers['x-correlation-id'] ?? '');
  res
    .writeHead(200, {
      'content-type': 'application/health+json',
      'x-correlation-id': id,
      ...overrides.headers,
    })
    .end(
      JSON.stringify({
        status: 'ok',
        message: 'PetSage system is alive and purring!',
        feature: 'smoke_test',
        service: 'petsage-smoke-test',
        version: '1.0.0',
        releaseId: 'abc',
        stage: 'test',
        timestamp: new Date().toISOString(),
        correlationId: id,
        ...overrides.body,
      }),
    );
}

/** The smoke line the function writes for a correlation id. */
export const smokeLine = (id: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    level: 'INFO',
    message: 'smoke test executed',
    timestamp: new Date().toISOString(),
    service: 'petsage-smoke-test',
    function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    correlation_id: id,
    event: 'smoke_test_executed',
    status: 'success',
    ...overrides,
  });
