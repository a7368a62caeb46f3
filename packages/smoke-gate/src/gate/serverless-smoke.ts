import type { AwsSettings } from '../aws/aws-clients.ts';
import type { SmokeContract } from '../core/contract.ts';
import { createDeadline, type Deadline } from '../core/deadline.ts';
import { GATE_DEFAULTS } from '../core/defaults.ts';
import { type PluginLog, SmokeTestFailedError } from '../core/framework.ts';
import { EXIT_FAILED, EXIT_VERIFIED, recordedVerdictOf } from '../core/verdicts.ts';
import type { DeploymentIdentity } from '../deployments/deployment-record.ts';
import { type LiveRollback, recordManualRollback } from '../deployments/rollback-by-commit.ts';
import { forcedBy } from '../deployments/rollback-checks.ts';
import { writeJUnitFile } from '../report/junit.ts';
import { formatReport } from '../report/report.ts';
import { shiftBoundMs } from '../traffic/traffic-shift.ts';
import { runVerification, type VerificationOutcome } from '../verification/run-verification.ts';
import { type AfterDeployResult, afterDeploy } from './after-deploy.ts';
import { watchGate } from './gate-interrupt.ts';
import { failureLine, reportGateEnd } from './gate-reports.ts';
import type { FrameworkStage, GateState, GateStep, SmokeTrigger } from './gate-steps.ts';
import { ownDeployment } from './own-deployment.ts';
import { gateSettings, type SmokeSettings } from './smoke-settings.ts';
import { type TrafficResult, trafficAfterDeploy } from './traffic-gate.ts';

export { type PluginLog, SmokeTestFailedError } from '../core/framework.ts';
export type { SmokeTrigger } from './gate-steps.ts';

/** Input of {@link runServerlessSmoke}. */
export interface ServerlessSmokeInput {
  framework: FrameworkStage;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
  trigger: SmokeTrigger;
  /** custom.smokeTest's contract (the defaults when undefined). */
  contract?: SmokeContract | undefined;
  /** When the hook started: the deadline counts from here. */
  startedAt?: number;
  /** `--json`'s one object goes here (default process.stdout). */
  stdout?: { write(text: string): unknown };
  /** The traffic mode's `rollback --commit`: the deployment `live` serves again (its version's line is checked). */
  restored?: LiveRollback | undefined;
}

const CODE_ONLY_NOTE =
  'code-only deploy (`deploy function`): no automatic rollback, as that would need published versions; `serverless deploy --force` redeploys the whole service from source.';

/** The gate's stated bound after a deploy: what the deadline covers, and what it does not. */
export const gateBound = (timeoutSeconds: number, shiftMs = 0): string =>
  `Smoke test: deadline ${timeoutSeconds} s; with a rollback and its verification the gate ends within ${2 * timeoutSeconds} s${shiftMs === 0 ? '' : `, plus the traffic shift's bake (at most ${Math.ceil(shiftMs / 60_000)} min)`}, plus the framework's own rollback while it runs.`;

/** Where a verification looks, when not the stack's own route and any version's line (the traffic mode). */
export interface VerifyAt {
  url?: string | undefined;
  logStreamVersion?: string | undefined;
}

/** The verification of this stack with the framework's settings, deadline counted from `startedFrom`. */
const verifierOf =
  (
    input: ServerlessSmokeInput,
    settings: SmokeSettings,
    stack: {
      stackName: string;
      aws: AwsSettings;
      hookDeadline: Deadline;
    },
  ) =>
  (startedFrom: number, at: VerifyAt = {}) =>
    runVerification({
      contract: input.contract,
      contractFrom: input.contract === undefined ? undefined : 'custom.smokeTest of serverless.yml',
      target: {
        kind: 'aws',
        stackName: stack.stackName,
        service: input.framework.service,
        ...at,
      },
      aws: stack.aws,
      env: process.env,
      // Each verification has the timeout, and ends by the gate's bound (a restored one too).
      deadline: createDeadline(
        Math.min(startedFrom + settings.timeoutSeconds * 1000, stack.hookDeadline.at),
      ),
      junitPath: settings.junitPath,
      // Right after a stack update a new route can answer 404 for a few seconds.
      notFoundGraceMs: input.trigger === 'command' ? 0 : GATE_DEFAULTS.deployNotFoundGraceMs,
      onNotice: (text) => input.log.notice(text),
    });

/**
 * Then what, after the verdict: record it or roll back after a deploy, record a manual rollback,
 * note a code-only deploy that failed.
 */
async function afterVerdict(
  context: ServerlessSmokeInput & {
    settings: SmokeSettings;
    outcome: VerificationOutcome;
    own: DeploymentIdentity | undefined;
    aws: AwsSettings;
    verify: (startedFrom: number) => Promise<VerificationOutcome>;
    hookDeadline: Deadline;
    onStep?: (step: GateStep) => void;
    traffic: TrafficResult | undefined;
  },
): Promise<{ extra: AfterDeployResult; live?: DeploymentIdentity | undefined }> {
  const { trigger, outcome, log } = context;
  if (trigger === 'deploy') return { extra: await afterDeploy(context) };
  if (trigger === 'rollback') {
    const forced = forcedBy(context.cliOptions);
    const stage = context.framework.place;
    const live = await recordManualRollback({ ...context, stage, forced });
    return { extra: {}, live };
  }
  if (trigger === 'deploy-function' && outcome.exitCode === EXIT_FAILED) {
    log.notice(CODE_ONLY_NOTE);
    return { extra: { verdictNote: CODE_ONLY_NOTE } };
  }
  return { extra: {} };
}

/**
 * `serverless smoke`, the deploy hook and the `deploy function` hook: the same verification as
 * the CLI, with the framework's region, credentials and stack. After `serverless deploy`, a
 * verified deployment is recorded and a definitive FAIL rolls back (after-deploy.ts). Resolves
 * when verified (or skipped: undefined); throws {@link SmokeTestFailedError} with the CLI's exit
 * code otherwise.
 */
export async function runServerlessSmoke(
  input: ServerlessSmokeInput,
): Promise<VerificationOutcome | undefined> {
  const { framework, log, trigger } = input;
  const startedAt = input.startedAt ?? Date.now();
  const stdout = input.stdout ?? process.stdout;
  const settings = gateSettings(input.framework.custom, input.cliOptions);
  if (trigger !== 'command' && !settings.verifyAfterDeploy) {
    log.notice(`Smoke test skipped (${settings.skippedBy})`);
    return undefined;
  }
  const stackName = framework.stack;
  const aws = await framework.aws();
  // A shift's bake (the traffic mode, in steps) runs inside the gate: its bound adds to the gate's.
  const shiftMs = trigger === 'deploy' ? shiftBoundMs(settings.shift, settings.timeoutSeconds) : 0;
  const hookDeadline = createDeadline(startedAt + 2 * settings.timeoutSeconds * 1000 + shiftMs);
  if (trigger === 'deploy') log.notice(gateBound(settings.timeoutSeconds, shiftMs));
  const verify = verifierOf(input, settings, {
    stackName,
    aws,
    hookDeadline,
  });

  // Ctrl-C or a CI cancel from here on is told what is live and the way back (gate-interrupt.ts).
  const state: GateState = { current: { step: 'verifying' }, own: undefined };
  const stopWatching = watchGate({ ...input, settings, aws, state, stdout });
  try {
    return await gateSteps(input, { settings, aws, hookDeadline, verify, state, stdout });
  } finally {
    stopWatching();
  }
}

/** What the gate's steps share once it runs: settings, AWS, its bound, the verification, its state. */
interface GateRun {
  settings: SmokeSettings;
  aws: AwsSettings;
  hookDeadline: Deadline;
  verify: (startedFrom: number, at?: VerifyAt) => Promise<VerificationOutcome>;
  state: GateState;
}

/** The traffic mode after a deploy (gate/traffic-gate.ts); undefined when the service has none. */
const trafficOf = (input: ServerlessSmokeInput, gate: GateRun, startedAt: number) =>
  trafficAfterDeploy(
    {
      framework: input.framework,
      log: input.log,
      aws: gate.aws,
      deadline: gate.hookDeadline,
      printReports: !gate.settings.json,
      shift: gate.settings.shift,
      shiftAlarms: gate.settings.shiftAlarms,
      onStep: (step) => {
        gate.state.current = step;
      },
      verify: (request) =>
        gate.verify(request.startedFrom, { url: request.url, logStreamVersion: request.version }),
    },
    startedAt,
  );

/**
 * The verification the verdict stands on: in the traffic mode after a deploy, the candidate's and
 * the promotion's; after the traffic mode's rollback, the restored version's line; else the route.
 */
async function firstVerdict(input: ServerlessSmokeInput, gate: GateRun, startedAt: number) {
  const traffic = input.trigger === 'deploy' ? await trafficOf(input, gate, startedAt) : undefined;
  if (traffic !== undefined) return { traffic, outcome: traffic.outcome };
  const restored = input.restored?.functionVersion.number;
  const at = restored === undefined ? {} : { logStreamVersion: restored };
  return { traffic, outcome: await gate.verify(startedAt, at) };
}

/** The gate's steps once it runs: whose deploy, the verification, then what; the reports. */
async function gateSteps(
  input: ServerlessSmokeInput,
  gate: GateRun & { stdout: { write(text: string): unknown } },
): Promise<VerificationOutcome> {
  const { framework, log, trigger } = input;
  const { settings, aws, hookDeadline, verify, state, stdout } = gate;
  const startedAt = input.startedAt ?? Date.now();
  const stackName = framework.stack;
  // Whose deploy this is: captured now, before the verification, and held to after it.
  const own =
    trigger === 'deploy'
      ? await ownDeployment(framework, aws, hookDeadline).catch(() => undefined)
      : undefined;
  state.own = own;
  // When: the verification (in the traffic mode, of the candidate first); then what: record or
  // roll back after a deploy, note a code-only one.
  const { traffic, outcome } = await firstVerdict(input, gate, startedAt);
  const judged = { exitCode: outcome.exitCode, verdict: outcome.report?.verdict };
  state.current = { step: 'judged', verdict: recordedVerdictOf(judged, 'verified') };
  // After a deploy the JUnit file is written once, at the end: its report may add a rollback.
  const hookWritesJUnit = trigger === 'deploy';
  if (!hookWritesJUnit) {
    const junitError = await writeJUnitFile(settings.junitPath, outcome);
    if (junitError !== undefined) log.notice(junitError);
  }
  if (!settings.json && outcome.report !== undefined) {
    log.notice(formatReport(outcome.report).trimEnd());
  }
  const { extra, live } = await afterVerdict({
    ...input,
    settings,
    outcome,
    own,
    aws,
    verify,
    hookDeadline,
    onStep: (step) => {
      state.current = step;
    },
    traffic: traffic?.result,
  });
  await reportGateEnd({
    ...{ framework, trigger, settings, outcome, extra, aws, log, stdout },
    deployment: trigger === 'deploy' ? own : live,
    writesJUnit: hookWritesJUnit,
  });
  const exitCode = extra.exitCode ?? outcome.exitCode;
  if (exitCode === EXIT_VERIFIED) {
    log.success?.(
      `Smoke test passed in ${((outcome.report?.elapsedMs ?? 0) / 1000).toFixed(1)} s (${stackName})`,
    );
    return outcome;
  }
  throw new SmokeTestFailedError(failureLine(outcome, extra), exitCode);
}
