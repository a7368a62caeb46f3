import { writeFile } from 'node:fs/promises';
import type { AwsSettings } from '../../aws/aws-clients.ts';
import { checkProfiles } from '../../aws/target-access.ts';
import type { Deadline } from '../../core/deadline.ts';
import { watchInterruption } from '../../core/interruption.ts';
import { CLI_NAME } from '../../core/product.ts';
import { safeMessage } from '../../core/safe-text.ts';
import { checkTargetRegions, type FleetTarget } from '../../fleet/fleet-targets.ts';
import {
  type FleetEntry,
  type FleetReport,
  fleetExitCode,
  fleetReportOf,
  interruptedEntry,
  runFleet,
} from '../../fleet/run-fleet.ts';
import { fleetMarkdown, formatFleetReport, formatFleetStatus } from '../../report/fleet-report.ts';
import { interruptedBlock, interruptedBy } from '../../report/interrupted.ts';
import { appendJobSummary } from '../../report/job-summary.ts';
import { formatFleetJUnit } from '../../report/junit.ts';
import { createProgress } from '../../report/progress.ts';
import { checkJUnitPath } from '../../verification/run-verification.ts';
import {
  awsSettingsOf,
  checkFleetFlags,
  contractOf,
  fleetOf,
  logsRateOf,
  staleAfterOf,
} from '../flag-values.ts';
import type { Values } from '../flags.ts';
import { coloursOf, notice, type Out, readOrFail } from '../output.ts';

/** A run over many targets, checked: its targets, AWS settings and per-region budget. */
interface CheckedFleet {
  targets: FleetTarget[];
  aws: AwsSettings;
  logsRatePerSecond: number;
}

/**
 * Checks a run over many targets before any call. The flags first (a wrong one is a usage
 * error, thrown to the CLI); then the file or flags' targets, every region and the JUnit path:
 * a bad one ends the run in one line (exit 2) naming the entry, returned as `code`.
 */
async function checkedFleet(
  values: Values,
  out: Out,
  command: string,
): Promise<CheckedFleet | { code: number }> {
  checkFleetFlags(values);
  const logsRatePerSecond = logsRateOf(values);
  const aws = awsSettingsOf(values, out.io.env);
  const read = await readOrFail(
    out,
    command,
    async () => {
      const targets = await fleetOf(values);
      await checkTargetRegions(targets, aws, out.io.env);
      await checkProfiles(targets);
      await checkJUnitPath(values.junit);
      return targets;
    },
    false,
  );
  return 'code' in read ? read : { targets: read.report, aws, logsRatePerSecond };
}

/** `smoke-gate verify` over many targets: one pool, one budget per region, one report. */
export async function runFleetVerify(
  values: Values,
  out: Out,
  deadline: Deadline,
): Promise<number> {
  const { io } = out;
  const checked = await checkedFleet(values, out, 'verify');
  if ('code' in checked) return checked.code;
  const { targets } = checked;
  // The contract of targets whose stack carries none, read before anything runs.
  const contract = await contractOf(values);
  const progress = createProgress({ stream: io.stderr, now: io.now });
  let failed = 0;
  const settled = new Map<number, FleetEntry>();
  const started = (io.now ?? Date.now)();
  const stopWatching = watchInterruption(
    async (interruption) => {
      progress.done();
      const entries = targets.map(
        (target, index) => settled.get(index) ?? interruptedEntry(target, checked.aws.region),
      );
      const report = fleetReportOf(entries, [], (io.now ?? Date.now)() - started);
      const left = report.summary.interrupted ?? 0;
      io.stderr.write(
        interruptedBlock(
          `${CLI_NAME}: ${interruptedBy(interruption)}: ${left} of ${targets.length} targets had no verdict yet (interrupted); the others are reported as they ended.`,
          [{ what: 'verify again', command: `run the same ${CLI_NAME} verify command` }],
        ),
      );
      await writeReports(values, out, report);
    },
    { source: io.signals },
  );
  progress.update(`verifying ${targets.length} targets`, '0 done');
  const report = await runFleet({
    ...checked,
    contract,
    env: io.env,
    deadline,
    onNotice: notice(io),
    onSettled: (entry, count, index) => {
      settled.set(index, entry);
      if (entry.verdict !== 'verified') failed++;
      progress.update(
        `verifying ${targets.length} targets`,
        `${count} done, ${failed} not verified`,
      );
    },
    now: io.now,
  }).finally(() => {
    stopWatching();
    progress.done();
  });
  await writeReports(values, out, report);
  return fleetExitCode(report.targets);
}

/** The run's JUnit file (--junit), job summary and report. */
async function writeReports(values: Values, out: Out, report: FleetReport): Promise<void> {
  const { io } = out;
  if (values.junit !== undefined) {
    await writeFile(values.junit, formatFleetJUnit(report)).catch((error: unknown) =>
      io.stderr.write(`${CLI_NAME}: cannot write --junit file: ${safeMessage(error)}\n`),
    );
  }
  await appendJobSummary(io.env, () => fleetMarkdown(report), notice(io));
  out.write(formatFleetReport(report, coloursOf(io)), report);
}

/** `smoke-gate status` over many targets: one table, the same exit rule as verify. */
export async function runFleetStatus(
  values: Values,
  out: Out,
  deadline: Deadline,
): Promise<number> {
  const { io } = out;
  const staleAfterMs = staleAfterOf(values) * 60_000;
  const checked = await checkedFleet(values, out, 'status');
  if ('code' in checked) return checked.code;
  // Loaded here: only status reads CloudWatch alarms (each SDK client costs memory to load).
  const { checkFleetStatus } = await import('../../fleet/fleet-status.ts');
  const report = await checkFleetStatus({
    ...checked,
    env: io.env,
    deadline,
    staleAfterMs,
    now: io.now,
  });
  out.write(formatFleetStatus(report, coloursOf(io)), report);
  return fleetExitCode(report.targets);
}
