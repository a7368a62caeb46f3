import { writeFile } from 'node:fs/promises';
import type { Deadline } from '../../core/deadline.ts';
import { type Interruption, watchInterruption } from '../../core/interruption.ts';
import { CLI_NAME } from '../../core/product.ts';
import { safeText } from '../../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE } from '../../core/verdicts.ts';
import { verifyMarkdown } from '../../report/fleet-report.ts';
import {
  interruptedBlock,
  interruptedBy,
  interruptedMarkdown,
  interruptedReport,
} from '../../report/interrupted.ts';
import { appendJobSummary } from '../../report/job-summary.ts';
import { formatJUnitError, writeJUnitFile } from '../../report/junit.ts';
import { createProgress } from '../../report/progress.ts';
import { formatReport } from '../../report/report.ts';
import { runVerification } from '../../verification/run-verification.ts';
import { isFleet, judgedBy, logsRateOf, targetOf } from '../flag-values.ts';
import type { Values } from '../flags.ts';
import { coloursOf, notice, type Out } from '../output.ts';
import { awsAsRoleOf } from '../role-settings.ts';

/** What an interrupted verification of one target writes: the block, JUnit, job summary, JSON. */
async function reportInterrupted(
  out: Out,
  interruption: Interruption,
  target: {
    name: string;
    region: string | undefined;
    junitPath: string | undefined;
    stage: string | undefined;
    service: string | undefined;
  },
): Promise<void> {
  const { io } = out;
  const message = `${interruptedBy(interruption)} before a verdict: ${target.name} was not verified by this run (a verification changes nothing: what is live stays live)`;
  const where =
    target.stage === undefined
      ? ''
      : ` --stage ${target.stage}${target.region === undefined ? '' : ` --region ${target.region}`}`;
  const steps =
    target.stage === undefined
      ? [{ what: 'verify again', command: `run the same ${CLI_NAME} verify command` }]
      : [
          { what: 'verify again', command: `npx ${CLI_NAME} verify${where}` },
          {
            what: 'see the deployments',
            command: `npx ${CLI_NAME} history --service ${target.service}${where}`,
          },
        ];
  io.stderr.write(interruptedBlock(`${CLI_NAME}: ${safeText(message, 300)}`, steps));
  if (out.json) io.stdout.write(`${JSON.stringify(interruptedReport(interruption, message))}\n`);
  if (target.junitPath !== undefined) {
    await writeFile(target.junitPath, formatJUnitError(message, { verdict: 'interrupted' })).catch(
      () => io.stderr.write(`${CLI_NAME}: cannot write --junit file\n`),
    );
  }
  await appendJobSummary(
    io.env,
    () => interruptedMarkdown(target, 'interrupted before a verdict'),
    notice(io),
  );
}

/** `smoke-gate verify`: the one road (runVerification), with progress on stderr. */
export async function runVerify(values: Values, out: Out, deadline: Deadline): Promise<number> {
  if (isFleet(values)) {
    const { runFleetVerify } = await import('./fleet.ts');
    return runFleetVerify(values, out, deadline);
  }
  logsRateOf(values); // One target has no shared budget, but a bad --logs-rate is still refused.
  const { io } = out;
  const target = targetOf(values);
  const aws = await awsAsRoleOf(values, io.env, deadline);
  if ('problem' in aws) return out.fail(EXIT_COULD_NOT_JUDGE, aws.problem);
  const given = await judgedBy(values);
  const request = {
    target,
    contract: given?.contract,
    contractFrom: given?.from,
    aws,
    env: io.env,
    deadline,
    junitPath: values.junit,
    onNotice: notice(io),
  };
  const progress = createProgress({ stream: io.stderr, now: io.now });
  const name = target.kind === 'local' ? 'local' : (target.stage ?? target.url ?? 'the stack');
  const stopWatching = watchInterruption(
    async (interruption) => {
      progress.done();
      await reportInterrupted(out, interruption, {
        name,
        region: request.aws.region,
        junitPath: values.junit,
        stage: target.kind === 'aws' ? target.stage : undefined,
        service: target.kind === 'aws' ? target.service : undefined,
      });
    },
    { source: io.signals },
  );
  let outcome: Awaited<ReturnType<typeof runVerification>>;
  try {
    outcome = await runVerification({
      ...request,
      onProgress: (phase, detail) =>
        progress.update(
          phase === 'http' ? 'calling the route' : 'waiting for the log line',
          detail,
        ),
    });
  } finally {
    stopWatching();
    progress.done();
  }
  const junitError = await writeJUnitFile(values.junit, outcome);
  if (junitError !== undefined) io.stderr.write(`${CLI_NAME}: ${junitError}\n`);
  if (outcome.badRequest !== true) {
    const { report, error } = outcome;
    const one = { name: report?.url ?? name, region: request.aws.region, report, error };
    await appendJobSummary(io.env, () => verifyMarkdown(one), notice(io));
  }
  if (outcome.report === undefined) {
    return out.fail(outcome.exitCode, outcome.error ?? 'failed', outcome.badRequest);
  }
  out.write(formatReport(outcome.report, coloursOf(io)), outcome.report);
  return outcome.exitCode;
}
