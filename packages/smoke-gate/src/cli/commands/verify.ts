import type { Deadline } from '../../core/deadline.ts';
import { verifyMarkdown } from '../../report/fleet-report.ts';
import { appendJobSummary } from '../../report/job-summary.ts';
import { createProgress } from '../../report/progress.ts';
import { formatReport } from '../../report/report.ts';
import { runVerification } from '../../verification/run-verification.ts';
import { awsSettingsOf, contractOf, isFleet, logsRateOf, targetOf } from '../flag-values.ts';
import type { Values } from '../flags.ts';
import { coloursOf, notice, type Out } from '../output.ts';

/** `petsage-smoke verify`: the one road (runVerification), with progress on stderr. */
export async function runVerify(values: Values, out: Out, deadline: Deadline): Promise<number> {
  if (isFleet(values)) {
    const { runFleetVerify } = await import('./fleet.ts');
    return runFleetVerify(values, out, deadline);
  }
  logsRateOf(values); // One target has no shared budget, but a bad --logs-rate is still refused.
  const { io } = out;
  const request = {
    target: targetOf(values),
    contract: await contractOf(values),
    aws: awsSettingsOf(values, io.env),
    env: io.env,
    deadline,
    junitPath: values.junit,
    onNotice: notice(io),
  };
  const progress = createProgress({ stream: io.stderr, now: io.now });
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
    progress.done();
  }
  if (outcome.junitError !== undefined) io.stderr.write(`petsage-smoke: ${outcome.junitError}\n`);
  const { target } = request;
  const name =
    target.kind === 'local' ? 'local' : (target.stage ?? outcome.report?.url ?? target.url);
  if (outcome.badRequest !== true) {
    const { report, error } = outcome;
    const one = { name: name ?? 'verify', region: request.aws.region, report, error };
    await appendJobSummary(io.env, () => verifyMarkdown(one), notice(io));
  }
  if (outcome.report === undefined) {
    return out.fail(outcome.exitCode, outcome.error ?? 'failed', outcome.badRequest);
  }
  out.write(formatReport(outcome.report, coloursOf(io)), outcome.report);
  return outcome.exitCode;
}
