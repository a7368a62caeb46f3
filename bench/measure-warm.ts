// Warm cost in-process: the handler called in a loop (harness/lambda/probe.ts), a process per round.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type Built,
  type Lever,
  log,
  ROOT,
  type Stats,
  stats,
  VARIANTS,
  type Variant,
  WARM_INVOCATIONS,
  WARM_ROUNDS,
} from './settings.ts';

const run = promisify(execFile);

const probe = async (bundle: string) => {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', join(ROOT, 'harness/lambda/probe.ts'), bundle, String(WARM_INVOCATIONS)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        STAGE: 'bench',
      },
    },
  );
  return JSON.parse(stdout.trim()) as Record<string, number>;
};

/** µs per warm invocation, RSS and heap growth of every variant. */
export async function measureWarm(built: Record<Variant | Lever, Built>) {
  const samples = Object.fromEntries(
    VARIANTS.map((v) => [v, [] as Record<string, number>[]]),
  ) as Record<Variant, Record<string, number>[]>;
  for (let round = 0; round < WARM_ROUNDS; round++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
    for (const variant of order) samples[variant].push(await probe(built[variant].bundle));
    log(`warm: ${round + 1}/${WARM_ROUNDS} rounds`);
  }
  return Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      {
        usPerInvocation: stats(samples[v].map((s) => s.warmUsPerInvocation as number)),
        rssBytes: stats(samples[v].map((s) => s.rssBytes as number)).median,
        heapUsedBytes: stats(samples[v].map((s) => s.heapUsedBytes as number)).median,
        heapGrowthBytes: stats(samples[v].map((s) => s.heapGrowthBytes as number)).median,
      },
    ]),
  ) as Record<
    Variant,
    { usPerInvocation: Stats; rssBytes: number; heapUsedBytes: number; heapGrowthBytes: number }
  >;
}
