// What every bench module shares: where things go, how many runs, the variants, stats, log.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OUT = join(ROOT, 'bench/.build');
export const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 25);
export const WARM_INVOCATIONS = Number(process.env.BENCH_WARM_INVOCATIONS ?? 10_000);
export const WARM_ROUNDS = 3;
export const VARIANTS = ['ours', 'floor', 'bare', 'typical'] as const;
export type Variant = (typeof VARIANTS)[number];
/** Levers tried on ours each run: what each would buy or cost on the cold start. */
export const LEVERS = ['ours, eager node:crypto', 'ours + V8 compile cache'] as const;
export type Lever = (typeof LEVERS)[number];

/** Progress on stderr; the figures go to stdout and the files. */
export const log = (text: string) => process.stderr.write(`${text}\n`);

/** Median, min and max of a sample. */
export interface Stats {
  median: number;
  min: number;
  max: number;
}
export const stats = (values: number[]): Stats => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number };
};

/** Where a variant's code is: its task root and _HANDLER, and the bundle file itself. */
export interface Built {
  taskRoot: string;
  handler: string;
  bundle: string;
  environment?: Record<string, string>;
}
