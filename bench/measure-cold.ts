// Cold starts in the runtime harness: a fresh aws-lambda-ric process per sample, interleaved.
import { type ColdStart, measureColdStart } from '../harness/lambda/cold-start.ts';
import getEvent from '../harness/lambda/events/http-api-get.json' with { type: 'json' };
import type { RuntimeOptions } from '../harness/lambda/lambda-runtime.ts';
import {
  type Built,
  COLD_RUNS,
  LEVERS,
  type Lever,
  log,
  type Stats,
  stats,
  VARIANTS,
  type Variant,
} from './settings.ts';

export type ColdStats = Record<keyof ColdStart, Stats>;

/** Init, first invocation and cold request of every variant and lever, median (min-max). */
export async function measureCold(
  built: Record<Variant | Lever, Built>,
  settings: Omit<RuntimeOptions, 'taskRoot' | 'runtimeApi'>,
) {
  const names = [...VARIANTS, ...LEVERS];
  const samples = Object.fromEntries(names.map((n) => [n, [] as ColdStart[]])) as Record<
    Variant | Lever,
    ColdStart[]
  >;
  for (let round = 0; round < COLD_RUNS; round++) {
    // Interleaved, with the order rotated each round, so drift hits every variant alike.
    const order = names.map((_, i) => names[(i + round) % names.length] as Variant | Lever);
    for (const name of order) {
      const { taskRoot, handler, environment } = built[name];
      samples[name].push(
        await measureColdStart(
          {
            ...settings,
            taskRoot,
            handler,
            environment: { ...settings.environment, ...environment },
          },
          getEvent,
        ),
      );
    }
    if (round % 5 === 4) log(`cold: ${round + 1}/${COLD_RUNS} rounds`);
  }
  const keys = ['initMs', 'firstInvokeMs', 'firstResponseMs'] as const;
  return Object.fromEntries(
    names.map((n) => [
      n,
      Object.fromEntries(keys.map((k) => [k, stats(samples[n].map((s) => s[k]))])),
    ]),
  ) as Record<Variant | Lever, ColdStats>;
}
