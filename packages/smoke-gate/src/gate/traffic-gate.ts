// The traffic mode after `serverless deploy` (docs/traffic.md): the version the deploy made is
// proved on the candidate stage, through the real route, before any caller reaches it; only a PASS
// moves `live`, in one alias update, and the public route is then verified once more. A FAIL
// leaves `live` where it was; a FAIL on the public route after promotion moves it back in one call.

import { randomUUID } from 'node:crypto';
import { type AwsSettings, createCloudFormationClient } from '../aws/aws-clients.ts';
import { lambdaClientFor } from '../aws/lambda-client.ts';
import { GATE_DEFAULTS } from '../core/defaults.ts';
import { safeMessage } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE, EXIT_FAILED, EXIT_VERIFIED } from '../core/verdicts.ts';
import { formatReport } from '../report/report.ts';
import { trafficModeOf } from '../template/traffic-template.ts';
import { allowInvokers } from '../traffic/alias-permissions.ts';
import { aliasVersion, pointAlias, publishDeployedVersion } from '../traffic/aliases.ts';
import { claimCandidate, releaseCandidate } from '../traffic/candidate-claim.ts';
import {
  type GateAlias,
  requiredTrafficStage,
  TRAFFIC_NAMES,
  type TrafficStage,
} from '../traffic/traffic-stage.ts';
import type { VerificationOutcome } from '../verification/run-verification.ts';
import type { FrameworkStage, GateStep } from './gate-steps.ts';
import { type ShiftRun, shiftLive } from './shift-bake.ts';
import { stageShiftWatch } from './shift-watch.ts';

/** One verification of the traffic mode: where (the candidate stage's URL, else the public route), which version's line. */
export interface TrafficVerification {
  startedFrom: number;
  url?: string | undefined;
  /** The version whose line counts; any version's during a shift (both serve). */
  version?: string | undefined;
}

/** What the traffic mode needs: the Lambda client, the gate's bound, and the verification. */
export interface TrafficGateContext extends ShiftRun {
  /** Print reports (false under --json, whose one object carries them). */
  printReports: boolean;
  verify: (request: TrafficVerification) => Promise<VerificationOutcome>;
  /** This gate's claim on the candidate alias (traffic/candidate-claim.ts). */
  claim: { run: string; staleAfterMs: number; now: () => number };
}

/** How the traffic mode ended. */
export interface TrafficResult {
  /** The verdict the gate stands on: the public route's after promotion, else the candidate's. */
  outcome: VerificationOutcome;
  /** The version this deploy made, and the one `live` pointed at before (none: first deploy). */
  version: string;
  /** Lambda's CodeSha256 of that version (base64), as its record names it. */
  codeSha256: string;
  liveBefore: string | undefined;
  /** `live` moved to the new version (and stayed, unless movedBack). */
  promoted: boolean;
  /** After promotion the public route failed: `live` is back on liveBefore. */
  movedBack: boolean;
  /** One line on where traffic is, for the output, the job summary and the failure line. */
  note: string;
}

/** Moves an alias and lets the stage's invokers call it. */
async function moveAlias(
  context: TrafficGateContext,
  stage: TrafficStage,
  alias: GateAlias,
  version: string,
): Promise<void> {
  const target = { functionName: stage.functionName, alias };
  await pointAlias(context.lambda, { ...target, version }, context.deadline);
  await allowInvokers(context.lambda, { ...target, invokers: stage.invokers }, context.deadline);
}

/** Where the public route's callers are when the new version did not pass on the candidate stage. */
export const untouchedLive = (version: string, liveBefore: string | undefined): string =>
  liveBefore === undefined
    ? `no caller reached version ${version}: there is no live alias yet, so the public route answers 500 Internal Server Error until a version passes (docs/traffic.md).`
    : `no caller reached version ${version}: live still serves version ${liveBefore}.`;

/**
 * Claims the candidate alias for `version`, lets the invokers call it, verifies the candidate
 * stage, and releases the alias again: outside a gate the candidate stage reaches nothing.
 */
async function onCandidate(
  context: TrafficGateContext,
  stage: TrafficStage,
  versions: { version: string; liveBefore: string | undefined },
  startedAt: number,
): Promise<VerificationOutcome> {
  const { lambda, log, deadline } = context;
  const { version, liveBefore } = versions;
  const { functionName } = stage;
  const claim = { functionName, version, ...context.claim };
  const takenOver = await claimCandidate(lambda, claim, deadline);
  if (takenOver !== undefined) {
    log.notice(
      `Traffic mode: took over the candidate stage from run ${takenOver.run}, whose claim had gone stale (a gate that died).`,
    );
  }
  try {
    const invokers = { functionName, alias: TRAFFIC_NAMES.candidate, invokers: stage.invokers };
    await allowInvokers(lambda, invokers, deadline);
    log.notice(
      `Traffic mode: version ${version} is on the candidate stage; ${liveBefore === undefined ? 'no live alias exists yet: it is made only when a version passes there' : `live stays on version ${liveBefore} unless it passes there`}.`,
    );
    context.onStep?.({ step: 'verifying-candidate', version, live: liveBefore });
    return await context.verify({ startedFrom: startedAt, url: stage.candidateUrl, version });
  } finally {
    await releaseCandidate(lambda, { functionName, run: context.claim.run }, deadline).catch(
      (error: unknown) =>
        log.notice(
          `Traffic mode: the candidate alias could not be removed (${safeMessage(error, 200)}); the candidate stage still reaches version ${version}.`,
        ),
    );
  }
}

/** Proves the deploy's version on the candidate stage, then promotes it (or not). */
export async function runTrafficGate(
  context: TrafficGateContext,
  stage: TrafficStage,
  startedAt: number,
): Promise<TrafficResult> {
  const { lambda, log, deadline } = context;
  const { version, codeSha256 } = await publishDeployedVersion(
    lambda,
    stage.functionName,
    deadline,
  );
  const liveBefore = await aliasVersion(lambda, stage.functionName, TRAFFIC_NAMES.live, deadline);
  const candidate = await onCandidate(context, stage, { version, liveBefore }, startedAt);
  const base = { version, codeSha256, liveBefore };
  if (candidate.exitCode !== EXIT_VERIFIED) {
    const note = untouchedLive(version, liveBefore);
    log.notice(`Traffic mode: version ${version} did not pass on the candidate stage; ${note}`);
    return { ...base, outcome: candidate, promoted: false, movedBack: false, note };
  }
  if (context.printReports && candidate.report !== undefined) {
    log.notice(formatReport(candidate.report).trimEnd());
  }
  const baked = await shiftLive(context, stage, { to: version, from: liveBefore });
  if (baked !== undefined && !baked.completed) {
    const note = `the shift to version ${version} stopped at ${baked.percent}%: ${baked.why}; live moved back to version ${liveBefore} in one alias update.`;
    const outcome = {
      exitCode: EXIT_FAILED,
      error: `traffic shift stopped: ${baked.why}`,
      verdict: 'failed' as const,
    };
    return { ...base, outcome, promoted: true, movedBack: true, note };
  }
  await moveAlias(context, stage, TRAFFIC_NAMES.live, version);
  log.notice(
    `Traffic mode: live moved to version ${version}${liveBefore === undefined ? '' : ` from version ${liveBefore}`} in one alias update; verifying the public route.`,
  );
  context.onStep?.({ step: 'verifying-promoted', version, live: liveBefore });
  const publicRoute = await context.verify({ startedFrom: Date.now(), version });
  if (publicRoute.exitCode === EXIT_VERIFIED) {
    const note = `live serves version ${version}, which passed on the candidate stage and on the public route.`;
    return { ...base, outcome: publicRoute, promoted: true, movedBack: false, note };
  }
  if (liveBefore === undefined) {
    const note = `version ${version} passed on the candidate stage but not on the public route, and there is no earlier version to return to: live stays on version ${version}.`;
    return { ...base, outcome: publicRoute, promoted: true, movedBack: false, note };
  }
  log.notice(
    `Traffic mode: version ${version} FAILED on the public route; moving live back to version ${liveBefore}.`,
  );
  await pointAlias(
    lambda,
    { functionName: stage.functionName, alias: TRAFFIC_NAMES.live, version: liveBefore },
    deadline,
  );
  const note = `version ${version} passed on the candidate stage but not on the public route: live moved back to version ${liveBefore} in one alias update.`;
  log.notice(`Traffic mode: ${note}`);
  return { ...base, outcome: publicRoute, promoted: true, movedBack: true, note };
}

/**
 * After `serverless deploy` in the traffic mode (custom.smokeTest.traffic): reads the stage from
 * the stack's outputs, then the candidate and the promotion. Undefined when the service deploys
 * all at once; an error of its own is a verdict of exit 2 that says where `live` is.
 */
export async function trafficAfterDeploy(
  context: Omit<TrafficGateContext, 'lambda' | 'claim' | 'watchOf'> & {
    framework: Pick<FrameworkStage, 'custom' | 'stack'>;
    aws: AwsSettings;
    /** The service's own alarms a shift's bake watches (custom.smokeTest.traffic.alarms). */
    shiftAlarms?: string[] | undefined;
  },
  startedAt: number,
): Promise<{ outcome: VerificationOutcome; result?: TrafficResult } | undefined> {
  const { framework, aws } = context;
  if (!trafficModeOf(framework.custom)) return undefined;
  let last: GateStep | undefined;
  const onStep = (step: GateStep) => {
    last = step;
    context.onStep?.(step);
  };
  try {
    const cloudFormation = createCloudFormationClient(aws);
    const stage = await requiredTrafficStage(cloudFormation, framework.stack, context.deadline);
    const claim = {
      run: `${process.pid}-${randomUUID().slice(0, 8)}`,
      staleAfterMs: GATE_DEFAULTS.candidateClaimStaleMs,
      now: Date.now,
    };
    const watchOf = ({ to }: { from: string; to: string }) =>
      stageShiftWatch({
        aws,
        stack: framework.stack,
        functionName: stage.functionName,
        version: to,
        extraAlarms: context.shiftAlarms ?? [],
        deadline: context.deadline,
        log: context.log,
        now: context.clock?.now ?? Date.now,
      });
    const result = await runTrafficGate(
      { ...context, lambda: lambdaClientFor(aws), onStep, claim, watchOf },
      stage,
      startedAt,
    );
    return { outcome: result.outcome, result };
  } catch (error) {
    const where =
      last?.step === 'verifying-promoted'
        ? `live was moved to version ${last.version} before this error`
        : last?.step === 'shifting'
          ? `live was left on version ${last.live} with version ${last.version} at ${last.percent}% (finish it with smoke-gate promote, undo it with smoke-gate abort)`
          : 'live was not moved by this deploy';
    return {
      outcome: {
        exitCode: EXIT_COULD_NOT_JUDGE,
        error: `traffic mode: ${safeMessage(error)}; ${where}`,
      },
    };
  }
}
