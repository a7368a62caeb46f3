// What a run stopped by a signal says: one short block (what is live, that it is not verified,
// the commands to see where it ended and to go back) and the JSON object in place of a report.

import type { Interruption } from '../core/interruption.ts';
import { fleetReportOf, interruptedEntry } from '../fleet/run-fleet.ts';
import { fleetMarkdown } from './fleet-report.ts';

/** A command to run next, with what it is for. */
export interface NextStep {
  what: string;
  command: string;
}

/** The short block: the first line(s), then each next step aligned (an interruption, a crash). */
export function interruptedBlock(first: string, steps: NextStep[]): string {
  const width = Math.max(0, ...steps.map((step) => step.what.length + 1));
  return [
    first,
    ...steps.map((step) => `  ${`${step.what}:`.padEnd(width)} ${step.command}`),
    '',
  ].join('\n');
}

/** `--json`'s object for an interrupted run. */
export const interruptedReport = (interruption: Interruption, message: string) => ({
  ok: false,
  verdict: 'interrupted' as const,
  signal: interruption.signal,
  error: { exitCode: interruption.exitCode, message },
});

/** `interrupted by SIGINT`: the words every block starts from. */
export const interruptedBy = (interruption: Interruption): string =>
  `interrupted by ${interruption.signal}`;

/** The job summary of one interrupted target: the usual table, its one row `INTERRUPTED: why`. */
export function interruptedMarkdown(
  target: { name: string; region: string | undefined },
  why: string,
): string {
  const entry = { ...interruptedEntry(target, target.region), error: why };
  return fleetMarkdown(fleetReportOf([entry], [], 0));
}
