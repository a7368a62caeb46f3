import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLinesOf } from '../../harness/lambda/log-lines.ts';
import { SERVERLESS_BIN } from '../../harness/project/packaged.ts';
import { type ServiceCopy, serviceCopy } from '../../harness/project/project-copy.ts';
import {
  type OfflineServer,
  startOffline,
} from '../../packages/smoke-gate/src/verification/offline.ts';
import { runNodeScript } from '../helpers/cli.ts';
import { loadOpenApi, responseProblems } from '../helpers/openapi.ts';

// serverless-offline serves a copy of the service of this suite's own (its build folders are not
// shared with the suites that run beside it).
let service: ServiceCopy;
let server: OfflineServer;
let spec: Awaited<ReturnType<typeof loadOpenApi>>['spec'];

beforeAll(async () => {
  service = await serviceCopy();
  server = await startOffline({ cwd: service.dir, stage: 'offline-test' });
  spec = (await loadOpenApi()).spec;
});

afterAll(async () => {
  await server?.stop();
  await service?.remove();
});

const call = async (method: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.baseUrl}/health`, { method, headers });
  return {
    statusCode: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
};

/** The function's log line for a correlation id, waiting briefly for the output to arrive. */
const logLinesFor = async (correlationId: string) => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const lines = logLinesOf(server).filter((line) => line.correlation_id === correlationId);
    if (lines.length > 0) return lines;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
};

describe('the health route under serverless-offline', () => {
  it('answers GET with the smoke-test payload and logs one line for it', async () => {
    // Prepare
    const correlationId = `it-${randomUUID()}`;
    // Act
    const response = await call('GET', { 'x-correlation-id': correlationId });
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    expect(JSON.parse(response.body)).toMatchObject({
      status: 'ok',
      feature: 'smoke_test',
      stage: 'offline-test',
      correlationId,
    });
    expect(responseProblems(spec, 'get', response)).toStrictEqual([]);
    const lines = await logLinesFor(correlationId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      message: 'smoke test executed',
      event: 'smoke_test_executed',
      status: 'success',
      service: 'petsage-smoke-test',
      stage: 'offline-test',
      http_method: 'GET',
      path: '/health',
      function_name: 'petsage-smoke-test-offline-test-health',
    });
  });

  it('answers HEAD with the same headers and no body', async () => {
    // Prepare
    const correlationId = `it-${randomUUID()}`;
    // Act
    const response = await call('HEAD', { 'x-correlation-id': correlationId });
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(responseProblems(spec, 'head', response)).toStrictEqual([]);
    const lines = await logLinesFor(correlationId);
    expect(lines.map((line) => line.http_method)).toStrictEqual(['HEAD']);
  });

  it('answers application/health+json when Accept asks for it', async () => {
    // Act
    const response = await call('GET', { accept: 'application/health+json' });
    // Assess
    expect(response.headers['content-type']).toBe('application/health+json');
    expect(responseProblems(spec, 'get', response)).toStrictEqual([]);
  });

  it('gives each request without a header its own correlation id', async () => {
    // Act
    const first = await call('GET');
    const second = await call('GET');
    // Assess
    const firstId = first.headers['x-correlation-id'] ?? '';
    const secondId = second.headers['x-correlation-id'] ?? '';
    expect(firstId).not.toBe('offlineContext_resourceId');
    expect(firstId).not.toBe(secondId);
    expect(await logLinesFor(firstId)).toHaveLength(1);
    expect(await logLinesFor(secondId)).toHaveLength(1);
  });

  it('does not echo or log an invalid correlation id', async () => {
    // Prepare
    const forged = 'forged"id with spaces';
    // Act
    const response = await call('GET', { 'x-correlation-id': forged });
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-correlation-id']).not.toBe(forged);
    expect(await logLinesFor(response.headers['x-correlation-id'] ?? '')).toHaveLength(1);
    expect(server.lines().join('\n')).not.toContain(forged);
  });

  it('does not serve POST', async () => {
    // Prepare
    const before = logLinesOf(server).length;
    // Act
    const response = await call('POST');
    // Assess
    expect(response.statusCode).toBe(404);
    expect(logLinesOf(server)).toHaveLength(before);
  });

  it('keeps answering the contract while serverless package runs in the same folder', {
    timeout: 120_000,
  }, async () => {
    // Prepare: a first call, so the bundle is built and loaded.
    expect((await call('GET')).statusCode).toBe(200);
    const out = await mkdtemp(join(tmpdir(), 'petsage-package-during-offline-'));
    // Act: package (which deletes its own build folder) while the local server is up.
    const packaged = await runNodeScript(
      SERVERLESS_BIN,
      ['package', '--stage', 'offline-test', '--package', out],
      {},
      { cwd: service.dir },
    );
    const response = await call('GET');
    await rm(out, { recursive: true, force: true });
    // Assess
    expect(packaged.code, packaged.stderr).toBe(0);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'ok' });
    expect(responseProblems(spec, 'get', response)).toStrictEqual([]);
  });
});

// serverless-offline 14 answered a Lambda timeout on an HTTP API (payload 2.0) with a 200 whose
// body was the error and which had none of the function's headers; patches/ makes it keep the
// timeout's 504 (npm ci applies it). Seen as a 200 without x-correlation-id in the load suite on a
// loaded machine.
describe('serverless-offline when the function times out', () => {
  let slow: ServiceCopy;
  let slowServer: OfflineServer;

  beforeAll(async () => {
    // A copy whose function has 1 s and spins for 10 s before it answers.
    slow = await serviceCopy([
      { file: 'serverless.yml', from: '  timeout: 5\n', to: '  timeout: 1\n' },
      {
        file: 'lib/smoke-test.ts',
        from: '  const request = readRequest(event);\n  const correlationId = correlationIdFor(request, context);\n  const response',
        to: '  const request = readRequest(event);\n  const correlationId = correlationIdFor(request, context);\n  for (const until = Date.now() + 10_000; Date.now() < until; );\n  const response',
      },
    ]);
    slowServer = await startOffline({ cwd: slow.dir, stage: 'offline-timeout' });
  });

  afterAll(async () => {
    await slowServer?.stop();
    await slow?.remove();
  });

  it('answers 504 with no body, never a 200 carrying the error', async () => {
    // Act
    const response = await fetch(`${slowServer.baseUrl}/health`, {
      headers: { 'x-correlation-id': 'timeout-1' },
    });
    // Assess
    expect(response.status).toBe(504);
    expect(await response.text()).toBe('');
    expect(response.headers.get('x-correlation-id')).toBeNull();
  });
});
