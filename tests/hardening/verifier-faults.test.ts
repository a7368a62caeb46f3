import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS_ENV } from '../../harness/aws/moto.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { freePort } from '../../packages/smoke-gate/src/verification/offline.ts';
import { runCliProcess } from '../helpers/cli.ts';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A local endpoint that misbehaves in one way. */
const serve = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
  server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server?.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
};

/** Runs the verifier with a CloudWatch Logs endpoint on a closed port and returns its verdict. */
const verify = async (url: string, timeoutSeconds: number) => {
  const closedPort = await freePort();
  const started = Date.now();
  const run = await runCliProcess(
    [
      'verify',
      '--url',
      url,
      '--log-group',
      '/aws/lambda/x',
      '--endpoint-url',
      `http://127.0.0.1:${closedPort}`,
      '--timeout',
      String(timeoutSeconds),
      '--json',
      // This service's contract: the body and the line are judged as after its deploys.
      '--contract',
      join(PROJECT_DIR, 'serverless.yml'),
    ],
    MOTO_CREDENTIALS_ENV,
  );
  return { ...run, seconds: (Date.now() - started) / 1000, report: JSON.parse(run.stdout) };
};

describe('the verifier under faults', () => {
  it('gives up on an endpoint that never answers by the deadline, exit 1', async () => {
    // Prepare: accepts the connection, never answers.
    const url = await serve(() => undefined);
    // Act
    const result = await verify(url, 3);
    // Assess
    expect(result.code).toBe(1);
    expect(result.report.http.problems[0]).toMatch(/no answer in time/);
    expect(result.seconds).toBeLessThan(10);
  });

  it('fails an endpoint that answers non-JSON, exit 1', async () => {
    // Prepare
    const url = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>OK</h1>'),
    );
    // Act
    const result = await verify(url, 5);
    // Assess
    expect(result.code).toBe(1);
    expect(result.report.http.problems.join('\n')).toMatch(/not JSON/);
  });

  it('fails a 200 with a wrong body and still reports, exit 1', async () => {
    // Prepare
    const url = await serve((req, res) => {
      const id = String(req.headers['x-correlation-id']);
      res
        .writeHead(200, { 'content-type': 'application/health+json', 'x-correlation-id': id })
        .end(JSON.stringify({ status: 'pass', correlationId: id }));
    });
    // Act
    const result = await verify(url, 5);
    // Assess
    expect(result.code).toBe(1);
    expect(result.report.http.problems.join('\n')).toMatch(/body status "pass"/);
    expect(result.report.log.found).toBe(false);
  });

  it('keeps retrying a 503 until the deadline, exit 1', async () => {
    // Prepare
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      res.writeHead(503).end('warming up');
    });
    // Act
    const result = await verify(url, 3);
    // Assess
    expect(result.code).toBe(1);
    expect(calls).toBeGreaterThan(2);
    expect(result.report.http.problems[0]).toMatch(/HTTP 503/);
    expect(result.seconds).toBeLessThan(10);
  });

  it('reports a refused connection, exit 1', async () => {
    // Act
    const result = await verify(`http://127.0.0.1:${await freePort()}/health`, 2);
    // Assess
    expect(result.code).toBe(1);
    expect(result.report.http.problems[0]).toMatch(/ECONNREFUSED/);
  });
});
