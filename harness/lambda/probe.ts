// One warm measurement process for bench/run.ts and the memory test:
//   probe.ts <bundle> <count>   µs per warm invocation in this process, then RSS, heap and heap
//                               growth (needs --expose-gc)
// Output goes to stdout as one JSON line; the handler's own log lines go to a sink. Cold starts
// are measured in the runtime harness instead (harness/lambda/cold-start.ts), where Lambda's Init is.
// <bundle> may also be functions/health.ts itself (Node 24 runs TypeScript).
import { pathToFileURL } from 'node:url';
import getEvent from './events/http-api-get.json' with { type: 'json' };
import { lambdaContext } from './lambda-context.ts';

const [bundle, countArg] = process.argv.slice(2);
if (bundle === undefined) throw new Error('usage: probe.ts <bundle> [count]');

const write = process.stdout.write.bind(process.stdout);
const report = (figures: object) => write(`${JSON.stringify(figures)}\n`);
process.stdout.write = (() => true) as typeof process.stdout.write;

const context = (i: number) =>
  lambdaContext({ awsRequestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` });
const event = () => structuredClone(getEvent);

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode?: number }>;

const module = (await import(pathToFileURL(bundle).href)) as {
  handler?: Handler;
  default?: { handler: Handler };
};
const handler = module.handler ?? module.default?.handler;
if (handler === undefined) throw new Error(`${bundle} exports no handler`);

const count = Number(countArg ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('the probe measures the heap: run node --expose-gc');
/** A full collection, twice: what one pass leaves (weak references, finalizers) goes in the next. */
const collect = () => {
  gc();
  gc();
};
for (let i = 0; i < 1_000; i++) await handler(event(), context(i));
const events = Array.from({ length: count }, event);
// A first run of `count`: the timed one. The optimizing compiler works on other threads and puts
// its code on the heap when it is done, sooner or later by how busy the machine is; measured over
// this run, that would count as growth.
const start = performance.now();
for (let i = 0; i < count; i++) await handler(events[i], context(i));
const elapsed = performance.now() - start;
// The heap is measured over a second run of `count`, in steady state: a leak grows it as much.
collect();
const heapBefore = process.memoryUsage().heapUsed;
for (let i = 0; i < count; i++) await handler(events[i], context(count + i));
collect();
const memory = process.memoryUsage();
report({
  warmUsPerInvocation: (elapsed * 1000) / count,
  rssBytes: memory.rss,
  heapUsedBytes: memory.heapUsed,
  heapGrowthBytes: memory.heapUsed - heapBefore,
  // Keeps the events alive up to here, so their collection is not counted as negative growth.
  invocations: events.length,
});
