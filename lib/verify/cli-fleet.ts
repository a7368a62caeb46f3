import { writeFile } from 'node:fs/promises';
import type { AwsSettings } from './aws-clients.ts';
import {
  awsSettingsOf,
  checkFleetFlags,
  fleetOf,
  logsRateOf,
  staleAfterOf,
  type Values,
} from './cli-options.ts';
import { type CliIo, coloursOf, notice, type Out, readOrFail } from './cli-output.ts';
import type { Deadline } from './deadline.ts';
import { fleetMarkdown, formatFleetReport, formatFleetStatus } from './fleet-report.ts';
import { checkTargetRegions, type FleetTarget } from './fleet-targets.ts';
import { appendJobSummary } from './job-summary.ts';
import { formatFleetJUnit } from './junit.ts';
import { createProgress } from './progress.ts';
import { fleetExitCode, runFleet } from './run-fleet.ts';
import { checkJUnitPath } from './run-verification.ts';
import { safeMessage } from './safe-text.ts';

/**
 * The targets of a run over many, checked before any call: the file or flags, every region, the
 * JUnit path. A bad one ends the run in one line (exit 2), naming the entry.
 */
async function checkedFleet(
  values: Values,
  io: CliIo,
  aws: AwsSettings,
): Promise<{ targets: FleetTarget[]; aws: AwsSettings }> {
  const targets = await fleetOf(values);
  await checkTargetRegions(targets, aws, io.env);
  await checkJUnitPath(values.junit);
  return { targets, aws };
}

/** `petsage-smoke verify` over many targets: one pool, one budget per region, one report. */
export async function runFleetVerify(
  values: Values,
  out: Out,
  deadline: Deadline,
): Promise<number> {
  const { io } = out;
  checkFleetFlags(values);
  const logsRatePerSecond = logsRateOf(values);
  const aws = awsSettingsOf(values, io.env);
  const checked = await readOrFail(out, 'verify', () => checkedFleet(values, io, aws), false);
  if ('code' in checked) return checked.code;
  const { targets } = checked.report;
  const progress = createProgress({ stream: io.stderr, now: io.now });
  let failed = 0;
  progress.update(`verifying ${targets.length} targets`, '0 done');
  const report = await runFleet({
    targets,
    aws,
    env: io.env,
    deadline,
    logsRatePerSecond,
    onNotice: notice(io),
    onSettled: (entry, settled) => {
      if (entry.verdict !== 'verified') failed++;
      progress.update(
        `verifying ${targets.length} targets`,
        `${settled} done, ${failed} not verified`,
      );
    },
    now: io.now,
  }).finally(() => progress.done());
  if (values.junit !== undefined) {
    await writeFile(values.junit, formatFleetJUnit(report)).catch((error: unknown) =>
      io.stderr.write(`petsage-smoke: cannot write --junit file: ${safeMessage(error)}\n`),
    );
  }
  await appendJobSummary(io.env, () => fleetMarkdown(report), notice(io));
  out.write(formatFleetReport(report, coloursOf(io)), report);
  return fleetExitCode(report.targets);
}

/** `petsage-smoke status` over many targets: one table, the same exit rule as verify. */
export async function runFleetStatus(
  values: Values,
  out: Out,
  deadline: Deadline,
): Promise<number> {
  const { io } = out;
  checkFleetFlags(values);
  const staleAfterMs = staleAfterOf(values) * 60_000;
  const logsRatePerSecond = logsRateOf(values);
  const aws = awsSettingsOf(values, io.env);
  const checked = await readOrFail(out, 'status', () => checkedFleet(values, io, aws), false);
  if ('code' in checked) return checked.code;
  // Loaded here: only status reads CloudWatch alarms (each SDK client costs memory to load).
  const { checkFleetStatus } = await import('./fleet-status.ts');
  const report = await checkFleetStatus({
    ...checked.report,
    env: io.env,
    deadline,
    staleAfterMs,
    logsRatePerSecond,
    now: io.now,
  });
  out.write(formatFleetStatus(report, coloursOf(io)), report);
  return fleetExitCode(report.targets);
}
