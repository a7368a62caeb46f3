import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLinesOf } from '../../harness/lambda/log-lines.ts';
import { type ServiceCopy, serviceCopy } from '../../harness/project/project-copy.ts';
import {
  type OfflineServer,
  startOffline,
} from '../../packages/smoke-gate/src/verification/offline.ts';

// `npm run test:load` runs 2,000; `npm test` a smaller run.
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 150);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 25);

// serverless-offline serves a copy of the service of this suite's own, with the function's timeout
// at API Gateway's 30 s instead of 5 s: on a loaded machine 25 worker threads starting at once can
// take longer than 5 s, which is a timeout (504) and not what this suite judges (concurrency: each
// answer its own id, each line once). The timeout's own answer is held in offline.test.ts.
let service: ServiceCopy;
let server: OfflineServer;

beforeAll(async () => {
  service = await serviceCopy([
    { file: 'serverless.yml', from: '  timeout: 5\n', to: '  timeout: 30\n' },
  ]);
  server = await startOffline({ cwd: service.dir, stage: 'load' });
});

afterAll(async () => {
  await server?.stop();
  await service?.remove();
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

describe(`load: ${REQUESTS} requests at concurrency ${CONCURRENCY} through serverless-offline`, () => {
  it('answers every request with its own id and logs each id exactly once', async () => {
    // Prepare
    const ids = Array.from({ length: REQUESTS }, (_, i) => `load-${i}-${randomUUID()}`);
    const answers: { id: string; status: number; echoed: string | null; body: string }[] = [];
    const latencies: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        const started = performance.now();
        const response = await fetch(`${server.baseUrl}/health`, {
          headers: { 'x-correlation-id': id },
          signal: AbortSignal.timeout(30_000),
        });
        const body = await response.text();
        latencies.push(performance.now() - started);
        answers.push({
          id,
          status: response.status,
          echoed: response.headers.get('x-correlation-id'),
          body,
        });
      }
    };
    // Act
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    // Let the last lines reach the output.
    for (let i = 0; i < 50; i++) {
      const logged = logLinesOf(server).filter((l) => String(l.correlation_id).startsWith('load-'));
      if (logged.length >= REQUESTS) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Assess
    expect(answers).toHaveLength(REQUESTS);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.echoed).toBe(answer.id);
      expect(JSON.parse(answer.body).correlationId).toBe(answer.id);
    }
    const counts = new Map<string, number>();
    for (const line of logLinesOf(server)) {
      if (line.event !== 'smoke_test_executed') continue;
      const id = String(line.correlation_id);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const lost = ids.filter((id) => !counts.has(id));
    const doubled = ids.filter((id) => (counts.get(id) ?? 0) > 1);
    expect(lost).toStrictEqual([]);
    expect(doubled).toStrictEqual([]);

    const sorted = [...latencies].sort((a, b) => a - b);
    const figures = {
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      requestsPerSecond: Math.round(REQUESTS / seconds),
      p50Ms: Number(percentile(sorted, 50).toFixed(1)),
      p99Ms: Number(percentile(sorted, 99).toFixed(1)),
    };
    // Figures are printed for the README and the benchmarks; never asserted.
    console.log(`load figures: ${JSON.stringify(figures)}`);
  });
});
