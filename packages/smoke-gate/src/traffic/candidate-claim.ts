// The candidate alias exists only while a gate proves a version on it: the gate claims it (its
// description names the run and when it started), and deletes it when its check ends, so outside a
// gate the candidate stage reaches nothing (API Gateway answers 500). A deploy that finds another
// gate's fresh claim stops (exit 2), naming it; a claim older than a gate's whole bound was left
// by a gate that died, and is taken over.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsSettings } from '../aws/aws-clients.ts';
import { lambdaClientFor } from '../aws/lambda-client.ts';
import type { Deadline } from '../core/deadline.ts';
import { GATE_DEFAULTS } from '../core/defaults.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';
import { AliasTakenError, aliasState, deleteAlias, pointAlias } from './aliases.ts';
import { shiftInProgress, shiftWayOut } from './traffic-shift.ts';
import { TRAFFIC_NAMES } from './traffic-stage.ts';

/** Who holds the candidate alias: a gate's run and when it took it (epoch ms). */
export interface CandidateClaim {
  run: string;
  since: number;
}

const CLAIM = /^smoke-gate run ([\w.-]{1,64}) since (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z)$/;

/** The alias description that says who holds it. */
export const claimText = (claim: CandidateClaim): string =>
  `smoke-gate run ${claim.run} since ${new Date(claim.since).toISOString()}`;

/** The claim an alias description holds; undefined when it holds none the gate wrote. */
export function readClaim(description: string): CandidateClaim | undefined {
  const match = CLAIM.exec(description);
  if (match === null) return undefined;
  return { run: match[1] as string, since: Date.parse(match[2] as string) };
}

/** What a claim needs: the function, the version to prove, this run, and when claims go stale. */
export interface ClaimRequest {
  functionName: string;
  version: string;
  run: string;
  now: () => number;
  /** A claim older than this was left by a gate that died (a gate's whole bound). */
  staleAfterMs: number;
}

/**
 * Another gate's fresh claim on the candidate alias, in words (with the way out if that gate
 * died); undefined when the alias is free or its claim is stale.
 */
export function freshClaimProblem(
  held: { version: string; description: string } | undefined,
  request: Pick<ClaimRequest, 'functionName' | 'now' | 'staleAfterMs'>,
): string | undefined {
  const claim = held === undefined ? undefined : readClaim(held.description);
  if (held === undefined || claim === undefined) return undefined;
  if (request.now() - claim.since >= request.staleAfterMs) return undefined;
  const free = new Date(claim.since + request.staleAfterMs).toISOString();
  return `another gate (run ${claim.run}, since ${new Date(claim.since).toISOString()}) is proving version ${safeText(held.version, 12)} on the candidate stage of ${request.functionName} (its claim goes stale at ${free}; if that gate died: aws lambda delete-alias --function-name ${request.functionName} --name ${TRAFFIC_NAMES.candidate})`;
}

/**
 * Before anything is deployed: the other gate's fresh claim, in words, or undefined when the
 * candidate alias is free (or the function does not exist yet).
 */
export async function candidateBusy(
  lambda: LambdaClient,
  request: Pick<ClaimRequest, 'functionName' | 'now' | 'staleAfterMs'>,
  deadline: Deadline,
): Promise<string | undefined> {
  const held = await aliasState(lambda, request.functionName, TRAFFIC_NAMES.candidate, deadline);
  return freshClaimProblem(held, request);
}

/**
 * Points the candidate alias at `version` for this run. Resolves with the stale claim it took
 * over, if any; throws a CouldNotJudgeError naming another gate's fresh claim.
 */
export async function claimCandidate(
  lambda: LambdaClient,
  request: ClaimRequest,
  deadline: Deadline,
): Promise<CandidateClaim | undefined> {
  const { functionName, version } = request;
  const mine = claimText({ run: request.run, since: request.now() });
  const alias = TRAFFIC_NAMES.candidate;
  const held = await aliasState(lambda, functionName, alias, deadline);
  const claim = held === undefined ? undefined : readClaim(held.description);
  const busy = freshClaimProblem(held, request);
  if (busy !== undefined) throw new CouldNotJudgeError(`${busy}; live was not moved`);
  try {
    await pointAlias(
      lambda,
      { functionName, alias, version, description: mine, createOnly: held === undefined },
      deadline,
    );
  } catch (error) {
    if (error instanceof AliasTakenError) {
      throw new CouldNotJudgeError(
        `another gate claimed the candidate stage of ${functionName} at the same moment: nothing was changed; retry when it ends`,
      );
    }
    throw error;
  }
  return held === undefined ? undefined : (claim ?? { run: 'unknown', since: 0 });
}

/** Deletes the candidate alias if this run still holds it; resolves whether it did. */
export async function releaseCandidate(
  lambda: LambdaClient,
  request: { functionName: string; run: string },
  deadline: Deadline,
): Promise<boolean> {
  const held = await aliasState(lambda, request.functionName, TRAFFIC_NAMES.candidate, deadline);
  if (held === undefined || readClaim(held.description)?.run !== request.run) return false;
  await deleteAlias(lambda, request.functionName, TRAFFIC_NAMES.candidate, deadline);
  return true;
}

/**
 * Before `serverless deploy` uploads anything (the plugin's before:deploy:deploy): another gate's
 * fresh claim on the candidate alias stops this deploy in one line, so the two never overlap.
 */
export async function candidateFreeBeforeDeploy(input: {
  aws: AwsSettings;
  functionName: string;
  deadline: Deadline;
  /** `--stage <stage> --region <region>`: where promote and abort would act. */
  where: string;
}): Promise<string | undefined> {
  const live = await aliasState(
    lambdaClientFor(input.aws),
    input.functionName,
    TRAFFIC_NAMES.live,
    input.deadline,
  );
  const shift = shiftInProgress(live);
  if (shift !== undefined) {
    return `Smoke test: ${shiftWayOut(shift, input.where)}. Nothing was deployed (docs/traffic.md).`;
  }
  const busy = await candidateBusy(
    lambdaClientFor(input.aws),
    {
      functionName: input.functionName,
      now: Date.now,
      staleAfterMs: GATE_DEFAULTS.candidateClaimStaleMs,
    },
    input.deadline,
  );
  return busy === undefined
    ? undefined
    : `Smoke test: ${busy}. Nothing was deployed: retry when that gate ends (docs/traffic.md).`;
}
