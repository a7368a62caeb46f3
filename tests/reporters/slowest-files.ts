// A vitest reporter: after the run, the test files that took longest, with their seconds, so the
// next slow suite is seen by whoever adds it (`npm test` ends with this table).
import type { Reporter, TestModule } from 'vitest/node';

/** One test file's time: its path from the repository root and its seconds. */
export interface FileTime {
  file: string;
  seconds: number;
}

/** The `count` slowest files, slowest first (ties by path, so the table is stable). */
export function slowestFiles(times: FileTime[], count = 10): FileTime[] {
  return [...times]
    .sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file))
    .slice(0, count);
}

/** The table printed at the end of the run: a heading, then one `  123.4 s  path` line a file. */
export function formatSlowest(times: FileTime[], count = 10): string {
  const rows = slowestFiles(times, count).map(
    ({ file, seconds }) => `${seconds.toFixed(1).padStart(7)} s  ${file}`,
  );
  return [`The ${rows.length} slowest test files (setup, hooks and tests):`, ...rows].join('\n');
}

/**
 * A file's time as vitest measured it: the import and collection of the module plus every test
 * and hook in it.
 */
const secondsOf = (module: TestModule): number => {
  const { collectDuration, setupDuration, duration } = module.diagnostic();
  return (collectDuration + setupDuration + duration) / 1000;
};

/** Prints {@link formatSlowest} when the run ends. */
// biome-ignore lint/style/noDefaultExport: vitest loads a reporter file by its default export.
export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (modules.length === 0) return;
    const times = modules.map((module) => ({
      file: module.relativeModuleId,
      seconds: secondsOf(module),
    }));
    process.stdout.write(`\n${formatSlowest(times)}\n`);
  }
}
