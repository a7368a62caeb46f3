/** Eight block heights, for terminals that show Unicode. */
const BLOCKS = '▁▂▃▄▅▆▇█';
/** The same heights in plain ASCII, for terminals and logs that cannot. */
const PLAIN = '_.-:=+*#';

/** Whether the output can show the Unicode blocks: a UTF-8 locale. */
export const unicodeOk = (env: NodeJS.ProcessEnv): boolean =>
  /utf-?8/i.test(env.LC_ALL || env.LC_CTYPE || env.LANG || '');

/**
 * A one-line chart of counts: a blank for 0, else one of eight heights scaled to the largest
 * count, so a single line and a thousand lines are both visible.
 */
export function sparkline(counts: number[], options: { unicode: boolean }): string {
  const marks = options.unicode ? BLOCKS : PLAIN;
  const max = Math.max(0, ...counts);
  return counts
    .map((count) =>
      count <= 0 || max === 0
        ? ' '
        : marks[Math.min(marks.length - 1, Math.ceil((count / max) * marks.length) - 1)],
    )
    .join('');
}

/** Counts per bucket of `bucketMs`, oldest first, for the `buckets` before `now`. */
export function bucketCounts(
  timestamps: number[],
  options: { now: number; bucketMs: number; buckets: number },
): number[] {
  const counts = new Array<number>(options.buckets).fill(0);
  const start = options.now - options.bucketMs * options.buckets;
  for (const time of timestamps) {
    if (time < start || time >= options.now) continue;
    const index = Math.floor((time - start) / options.bucketMs);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

/** Sums neighbouring buckets so the chart fits `width` characters (a narrow terminal). */
export function fitWidth(counts: number[], width: number): number[] {
  if (counts.length <= width || width < 1) return counts;
  const per = Math.ceil(counts.length / width);
  const fitted: number[] = [];
  for (let i = 0; i < counts.length; i += per) {
    fitted.push(counts.slice(i, i + per).reduce((sum, count) => sum + count, 0));
  }
  return fitted;
}

/** The p-th percentile (nearest rank) of the values, or null when there are none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
