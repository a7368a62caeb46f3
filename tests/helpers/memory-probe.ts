// Runs the real handler N times in this process with stdout discarded and prints heap figures as
// one JSON line on stderr. Run with --expose-gc. Used by the memory test and the benchmarks.
import type { Context } from 'aws-lambda';
import getEvent from '../events/http-api-get.json' with { type: 'json' };

const invocations = Number(process.argv[2] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

process.stdout.write = (() => true) as typeof process.stdout.write;
const { handler } = await import('../../functions/health.ts');
const context = {
  functionName: 'petsage-smoke-test-bench-health',
  functionVersion: '$LATEST',
  invokedFunctionArn:
    'arn:aws:lambda:us-east-1:123456789012:function:petsage-smoke-test-bench-health',
  memoryLimitInMB: '128',
  awsRequestId: '',
  logGroupName: '/aws/lambda/petsage-smoke-test-bench-health',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 5000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

const run = async (count: number) => {
  for (let i = 0; i < count; i++) {
    const event = structuredClone(getEvent);
    event.headers['x-correlation-id'] = `mem-${i}`;
    await handler(event, { ...context, awsRequestId: `req-${i}` });
  }
};

await run(1_000); // warm up: JIT, lazy initialisation
gc();
const before = process.memoryUsage();
await run(invocations);
gc();
const after = process.memoryUsage();
process.stderr.write(
  `${JSON.stringify({
    invocations,
    heapUsedBefore: before.heapUsed,
    heapUsedAfter: after.heapUsed,
    heapGrowth: after.heapUsed - before.heapUsed,
    rss: after.rss,
  })}\n`,
);
