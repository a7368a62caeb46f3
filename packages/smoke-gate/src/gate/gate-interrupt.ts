// Ctrl-C or a CI cancel while the gate works after `serverless deploy` (or in `serverless
// smoke`, `deploy function`, a manual rollback): within 2 s one short block says which
// deployment is live and that it is not verified (or that a rollback was started, which
// CloudFormation finishes on its own), and the commands to see where it ended and to go back.
// The verdict `interrupted` is recorded if that fits in the time, else the block says it was not.

import { writeFile } from 'node:fs/promises';
import type { AwsSettings } from '../aws/aws-clients.ts';
import { createDeadline } from '../core/deadline.ts';
import type { PluginLog } from '../core/framework.ts';
import {
  INTERRUPT_RECORD_MS,
  type Interruption,
  type StopWatching,
  watchInterruption,
  within,
} from '../core/interruption.ts';
import { safeMessage } from '../core/safe-text.ts';
import { openRecordBooks, recordVerdict } from '../deployments/deployment-books.ts';
import {
  interruptedBlock,
  interruptedBy,
  interruptedMarkdown,
  interruptedReport,
} from '../report/interrupted.ts';
import { appendJobSummary } from '../report/job-summary.ts';
import { formatJUnitError } from '../report/junit.ts';
import { nextSteps, shiftNextSteps } from './gate-crash.ts';
import type { FrameworkStage, GateState, SmokeTrigger } from './gate-steps.ts';
import type { SmokeSettings } from './smoke-settings.ts';

/** What the watch needs of the command. */
export interface GateWatchInput {
  framework: FrameworkStage;
  log: PluginLog;
  trigger: SmokeTrigger;
  settings: SmokeSettings;
  aws: AwsSettings;
  state: GateState;
  stdout: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
}

/** The first line: what is live and whether it is verified. */
export function interruptedFirstLine(
  interruption: Interruption,
  trigger: SmokeTrigger,
  state: GateState,
  stack: string,
): string {
  const by = `Smoke test ${interruptedBy(interruption)}`;
  const { current, own } = state;
  if (current.step === 'rolling-back') {
    return `${by}: a rollback of stack ${stack} to deployment ${current.to} was started; CloudFormation finishes it on its own (see where it ended with history).`;
  }
  if (current.step === 'verifying-candidate') {
    const live =
      current.live === undefined
        ? 'there is no live alias yet'
        : `live still serves version ${current.live}`;
    return `${by}: version ${current.version} of stack ${stack} was on the candidate stage only and NOT verified; no caller reached it: ${live}.`;
  }
  if (current.step === 'shifting') {
    return `${by} during a shift: live of stack ${stack} is left as it was: version ${current.version} at ${current.percent}%, the rest on version ${current.live}; nothing moved it back. Finish the shift with promote, or undo it with abort (below).`;
  }
  if (current.step === 'verifying-promoted') {
    return `${by}: live of stack ${stack} was moved to version ${current.version}, which passed on the candidate stage; its check on the public route did not finish${current.live === undefined ? '' : ` (version ${current.live} served before)`}.`;
  }
  if (current.step === 'verifying-restored') {
    return `${by}: stack ${stack} was rolled back to deployment ${current.to}, which is live and NOT verified again.`;
  }
  if (current.step === 'judged' && trigger === 'deploy') {
    const deployment = `the new deployment${own === undefined ? '' : ` ${own.directory}`}`;
    return current.verdict === 'verified'
      ? `${by} after its verdict: ${deployment} of stack ${stack} is live and PASSED its smoke test.`
      : `${by} after its verdict: ${deployment} of stack ${stack} is live and was judged ${current.verdict}; no rollback had started.`;
  }
  if (trigger === 'command') {
    return `${by} before a verdict: stack ${stack} runs what it ran; this verification changed nothing and judged nothing.`;
  }
  const what =
    trigger === 'deploy'
      ? `the new deployment${own === undefined ? '' : ` ${own.directory}`}`
      : trigger === 'rollback'
        ? 'the deployment this rollback restored'
        : "the function's new code";
  return `${by}: ${what} of stack ${stack} is live and NOT verified.`;
}

/**
 * Records this command's deployment if it fits in the time: `interrupted` before its verdict, the
 * verdict itself when it had one and nothing had acted on it yet. What happened, in words.
 */
async function recordInterrupted(input: GateWatchInput): Promise<string> {
  const { own, current } = input.state;
  const verdict =
    current.step === 'verifying' ||
    current.step === 'verifying-candidate' ||
    current.step === 'shifting' ||
    current.step === 'verifying-promoted'
      ? 'interrupted'
      : current.step === 'judged'
        ? current.verdict
        : null;
  if (input.trigger !== 'deploy' || verdict === null || own === undefined) {
    return 'Nothing was recorded: the gate had no verdict of its own to replace.';
  }
  const notRecorded = `The verdict was NOT recorded: deployment ${own.directory} keeps no verdict of this run.`;
  const recording = await within(
    (async (): Promise<{ why?: string }> => {
      const deadline = createDeadline(Date.now() + INTERRUPT_RECORD_MS);
      const books = await openRecordBooks(input.framework.place, input.aws, deadline);
      const context = { log: input.log, env: input.env };
      const note = verdict === 'interrupted' ? 'interrupted' : 'interrupted after its verdict';
      const written = await recordVerdict(context, books, own, verdict, { note });
      return written ? {} : { why: 'writing it failed, as said above' };
    })().catch((error: unknown) => ({
      why: `the deployment bucket could not be opened: ${safeMessage(error, 160)}`,
    })),
    INTERRUPT_RECORD_MS,
    { why: `it did not fit in ${INTERRUPT_RECORD_MS / 1000} s` },
  );
  return recording.why === undefined
    ? `Recorded deployment ${own.directory} as ${verdict}.`
    : `${notRecorded} (${recording.why})`;
}

/** What an interrupted gate writes: the block, the record, JUnit, JSON and the job summary. */
export async function reportGateInterrupted(
  input: GateWatchInput,
  interruption: Interruption,
): Promise<void> {
  const deployed = input.framework;
  const first = interruptedFirstLine(interruption, input.trigger, input.state, deployed.stack);
  const steps =
    input.state.current.step === 'shifting' ? shiftNextSteps(deployed) : nextSteps(deployed);
  input.log.notice(interruptedBlock(first, steps).trimEnd());
  const recorded = await recordInterrupted(input);
  input.log.notice(recorded);
  const { settings } = input;
  if (settings.junitPath !== undefined) {
    await writeFile(settings.junitPath, formatJUnitError(first, { verdict: 'interrupted' })).catch(
      () => input.log.notice('cannot write --junit file'),
    );
  }
  if (settings.json) {
    input.stdout.write(`${JSON.stringify(interruptedReport(interruption, first))}\n`);
  }
  await appendJobSummary(
    input.env ?? process.env,
    () => interruptedMarkdown({ name: deployed.stack, region: deployed.region }, first),
    (text) => input.log.notice(text),
  );
}

/** Watches SIGINT and SIGTERM while the gate works; returns what stops the watch. */
export const watchGate = (input: GateWatchInput): StopWatching =>
  watchInterruption((interruption) => reportGateInterrupted(input, interruption));
