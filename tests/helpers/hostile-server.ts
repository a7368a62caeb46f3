import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthBody, smokeLine } from './contract-fixtures.ts';

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
      JSON.stringify(healthBody(id, { timestamp: new Date().toISOString(), ...overrides.body })),
    );
}

export { smokeLine };
