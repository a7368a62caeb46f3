// What the gate writes when it ends: the framework's one line, the JUnit file after a deploy,
// `--json`'s object, the events to the alarm topic and the job summary (reportGateEnd).

import { writeFile } from 'node:fs/promises';
import type { AwsSettings } from '../aws/aws-clients.ts';
import type { PluginLog } from '../core/framework.ts';
import { safeText } from '../core/safe-text.ts';
import type { DeploymentIdentity } from '../deployments/deployment-record.ts';
import { verifyMarkdown } from '../report/fleet-report.ts';
import { appendJobSummary } from '../report/job-summary.ts';
import { formatJUnit, formatJUnitError } from '../report/junit.ts';
import { errorReport } from '../report/report.ts';
import type { VerificationOutcome } from '../verification/run-verification.ts';
import { type AfterDeployResult, rollbackSummary } from './after-deploy.ts';
import { announceVerdict, gateEvents } from './announce-verdict.ts';
import { formatRollbackJUnit, formatSupersededJUnit } from './gate-junit.ts';
import type { FrameworkStage, SmokeTrigger } from './gate-steps.ts';
import type { SmokeSettings } from './smoke-settings.ts';

/** The framework's one line when the command fails. */
export function failureLine(outcome: VerificationOutcome, extra: AfterDeployResult): string {
  const report = outcome.report;
  const failed =
    report === undefined
      ? `Smoke test could not run: ${outcome.error}`
      : `Smoke test ${report.verdict === 'inconclusive' ? 'could not judge' : 'failed for'} ${report.url} (correlation id ${report.correlationId}); see the report above`;
  if (extra.superseded !== undefined) return `Smoke test ${extra.verdictNote}`;
  if (extra.traffic !== undefined && report?.verdict !== 'verified')
    return `${failed}. ${extra.traffic}`;
  // It passed, and the gate could not do what follows a verdict (the records key's pin failed).
  if (report?.verdict === 'verified' && extra.verdictNote !== undefined) {
    return `Smoke test passed for ${report.url}, but ${extra.verdictNote}`;
  }
  return extra.rollback === undefined ? failed : `${failed}. ${rollbackSummary(extra.rollback)}`;
}

/** What the gate did about the verdict, for the job summary: the rollback, or why it did not count. */
export const gateNote = (extra: AfterDeployResult): string | undefined => {
  const rollback = extra.rollback;
  if (rollback === undefined) return extra.verdictNote;
  if (rollback.error !== null)
    return `Rollback to deployment ${rollback.to} failed: ${rollback.error}`;
  const again =
    rollback.restored?.verdict === 'verified' ? 'which passes again' : 'which did not pass again';
  return `Rolled back to deployment ${rollback.to} (verified ${rollback.toVerifiedAt}), ${again}.`;
};

/** After a deploy, the hook's one JUnit file: the verdict, a rollback or a takeover. */
export async function writeGateJUnit(
  path: string | undefined,
  outcome: VerificationOutcome,
  extra: AfterDeployResult,
  log: PluginLog,
): Promise<void> {
  if (path === undefined) return;
  const { report } = outcome;
  const junit =
    report === undefined
      ? formatJUnitError(outcome.error ?? 'verification did not run')
      : extra.superseded !== undefined
        ? formatSupersededJUnit(report, extra.verdictNote ?? 'superseded')
        : extra.rollback !== undefined
          ? formatRollbackJUnit(report, extra.rollback)
          : formatJUnit(report);
  await writeFile(path, junit).catch((error: unknown) =>
    log.notice(`cannot write --junit file: ${safeText(String(error))}`),
  );
}

/** `--json`: the report (or the error object) with what the gate did about it. */
export const jsonReport = (outcome: VerificationOutcome, extra: AfterDeployResult) => {
  const report = outcome.report ?? errorReport(outcome.exitCode, outcome.error ?? 'failed');
  const { rollback, verdictNote: note, superseded } = extra;
  return { ...report, ...{ rollback }, ...{ note }, ...{ superseded } };
};

/**
 * What the gate writes once it is done: the JUnit file after a deploy (its report may add a
 * rollback), `--json`'s object, the events to the alarm topic, and the job summary.
 */
export async function reportGateEnd(input: {
  framework: Pick<FrameworkStage, 'stage' | 'stack' | 'region'>;
  trigger: SmokeTrigger;
  settings: Pick<SmokeSettings, 'junitPath' | 'json'>;
  outcome: VerificationOutcome;
  extra: AfterDeployResult;
  deployment: DeploymentIdentity | undefined;
  aws: AwsSettings;
  log: PluginLog;
  stdout: { write(text: string): unknown };
  writesJUnit: boolean;
}): Promise<void> {
  const { framework, trigger, settings, outcome, extra, log } = input;
  if (input.writesJUnit) await writeGateJUnit(settings.junitPath, outcome, extra, log);
  if (settings.json) input.stdout.write(`${JSON.stringify(jsonReport(outcome, extra))}\n`);
  if (trigger === 'deploy' || trigger === 'rollback') {
    const { stage } = framework;
    const { deployment } = input;
    const events = gateEvents({ stage, trigger, outcome, extra, deployment, env: process.env });
    await announceVerdict({ stack: framework.stack, aws: input.aws, log, events });
  }
  await appendJobSummary(
    process.env,
    () =>
      verifyMarkdown({
        name: framework.stack,
        region: framework.region,
        report: outcome.report,
        error: outcome.error,
        note: gateNote(extra),
      }),
    (text) => log.notice(text),
  );
}
