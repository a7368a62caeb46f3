import {
  type AwsSettings,
  checkCallDestination,
  createCloudFormationClient,
} from '../aws/aws-clients.ts';
import { lambdaClientFor } from '../aws/lambda-client.ts';
import { describeStackOutputs, stackName } from '../aws/stack-outputs.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { aliasState, aliasVersion } from '../traffic/aliases.ts';
import { type ShiftInProgress, shiftInProgress } from '../traffic/traffic-shift.ts';
import { TRAFFIC_NAMES, type TrafficStage, trafficStageOf } from '../traffic/traffic-stage.ts';
import { openRecordBooks, type StagePlace } from './deployment-books.ts';
import { builtFrom, type DeploymentBucket } from './deployment-bucket.ts';
import { type Deployment, deploymentHistory, liveCode } from './deployment-history.ts';
import { ciRunUrl, type RecordedVerdict } from './deployment-record.ts';
import { changedOutsideBecause, runningCodeSha256 } from './running-code.ts';

/** One deployment as `history` shows it. */
export interface HistoryEntry {
  timestamp: string;
  directory: string;
  commit: string | null;
  version: string | null;
  /** `untrusted`: a record the gate cannot trust (unsigned, wrongly signed); see `untrusted`. */
  verdict: RecordedVerdict | 'unrecorded' | 'untrusted';
  /** What an untrusted record claims, and why it is not trusted. */
  untrusted: { claims: RecordedVerdict | null; why: string } | null;
  /** When the verdict was recorded. */
  at: string | null;
  ci: string | null;
  /** Exactly one entry is live when the stack runs one of these deployments. */
  live: boolean;
  /** What a rollback would return to now: the newest verified deployment that is not live. */
  rollbackTarget: boolean;
  /** The traffic mode: the function version its record says it ran as (docs/traffic.md). */
  functionVersion: string | null;
}

/** The traffic mode's aliases: the versions `live` and `candidate` point at, and why live is not vouched for. */
export interface TrafficAliases {
  live: string | null;
  candidate: string | null;
  /** A shift in progress: live on `from`, `to` weighted `percent` (smoke-gate promote / abort). */
  shift: ShiftInProgress | null;
  /** `live` points at a version no trusted record names: changed outside the pipeline. */
  note: string | null;
}

/** `smoke-gate history --json`. */
export interface HistoryReport {
  stage: string;
  stack: string;
  deployments: HistoryEntry[];
  ignored: string[];
  /** Why the stage's records are untrusted as a whole (rewound past its anchor), or null. */
  rewound: string | null;
  /** The traffic mode's aliases; null when the stage deploys all at once. */
  traffic: TrafficAliases | null;
}

/** The deployments of a stage, newest first, with commits, verdicts, which is live and which a rollback would restore. */
export async function deploymentEntries(
  place: DeploymentBucket,
  deployments: Deployment[],
  live: string | undefined,
): Promise<HistoryEntry[]> {
  const target = deployments.find((d) => d.verifiedAt !== null && d.directory !== live);
  const entries: HistoryEntry[] = [];
  for (const deployment of deployments) {
    const built =
      deployment.record === null
        ? await builtFrom(place, deployment.directory)
        : { commit: deployment.record.commit, version: deployment.record.version };
    entries.push({
      timestamp: new Date(deployment.timestamp).toISOString(),
      directory: deployment.directory,
      commit: built.commit,
      version: built.version,
      verdict:
        deployment.untrusted !== null ? 'untrusted' : (deployment.record?.verdict ?? 'unrecorded'),
      untrusted:
        deployment.untrusted === null
          ? null
          : { claims: deployment.record?.verdict ?? null, why: deployment.untrusted },
      at: deployment.record?.at ?? null,
      ci: deployment.record?.ci ? ciRunUrl(deployment.record.ci) : null,
      live: deployment.directory === live,
      rollbackTarget: deployment === target,
      functionVersion: deployment.record?.functionVersion?.number ?? null,
    });
  }
  return entries;
}

/**
 * "Live" is what runs: the live deployment whose function runs other code than its trusted record
 * vouches for is untrusted, `changed outside the pipeline` (deployments/running-code.ts).
 */
async function markChangedOutside(
  deployments: Deployment[],
  live: string | undefined,
  code: { functionName: string; zip: string } | undefined,
  request: HistoryRequest,
): Promise<void> {
  const current = deployments.find((d) => d.directory === live);
  if (current?.record === null || current === undefined || current.untrusted !== null) return;
  if (code === undefined) return;
  const lambda = lambdaClientFor(request.aws);
  const running = await runningCodeSha256(lambda, code.functionName, request.deadline);
  const why = changedOutsideBecause(current.record, code.zip, running);
  if (why === undefined) return;
  current.untrusted = why;
  current.verifiedAt = null;
}

/**
 * The traffic mode: "live" is the deployment whose trusted record names the version the `live`
 * alias points at. A `live` on a version no trusted record names was moved outside the pipeline.
 */
async function trafficAliases(
  stage: TrafficStage,
  deployments: Deployment[],
  request: HistoryRequest,
): Promise<{ aliases: TrafficAliases; live: string | undefined }> {
  const lambda = lambdaClientFor(request.aws);
  const liveAlias = await aliasState(
    lambda,
    stage.functionName,
    TRAFFIC_NAMES.live,
    request.deadline,
  );
  const live = liveAlias?.version ?? null;
  const candidate =
    (await aliasVersion(lambda, stage.functionName, TRAFFIC_NAMES.candidate, request.deadline)) ??
    null;
  const shift = shiftInProgress(liveAlias) ?? null;
  const vouching = deployments.find(
    (d) => d.untrusted === null && d.record?.functionVersion?.number === live,
  );
  const note =
    live !== null && vouching === undefined
      ? `changed outside the pipeline: live points at version ${live}, which no trusted record names`
      : null;
  return { aliases: { live, candidate, shift, note }, live: vouching?.directory };
}

/**
 * The framework's deploymentPrefix from the prefix a stage's code lives under
 * (`<deploymentPrefix>/<service>/<stage>/`); the framework's default when there is none.
 */
export function deploymentPrefixOf(prefix: string | undefined, service: string, stage: string) {
  const tail = `/${service}/${stage}/`;
  return prefix?.endsWith(tail) && prefix.length > tail.length
    ? prefix.slice(0, -tail.length)
    : 'serverless';
}

/** What `history` needs: the stage, AWS settings and the one deadline. */
export interface HistoryRequest {
  stage: string;
  service: string;
  aws: AwsSettings;
  env: NodeJS.ProcessEnv;
  deadline: Deadline;
}

/**
 * Reads a stage's deployments from its deployment bucket (the stack's
 * ServerlessDeploymentBucketName output) and its live deployment (the stack's template).
 */
export async function checkHistory(request: HistoryRequest): Promise<HistoryReport> {
  const stack = stackName(request.service, request.stage);
  const context = { region: request.aws.region, profile: request.aws.profile };
  await checkCallDestination(request.aws, request.env);
  const cloudFormation = createCloudFormationClient(request.aws);
  const outputs = await describeStackOutputs(cloudFormation, stack, request.deadline, context);
  const bucket = outputs.ServerlessDeploymentBucketName;
  if (bucket === undefined) {
    throw new CouldNotJudgeError(
      `stack ${stack} has no ServerlessDeploymentBucketName output: it was not deployed by the framework`,
    );
  }
  const work = (async () => {
    const code = await liveCode(cloudFormation, stack, request.deadline);
    const live = code?.live;
    const { service } = request;
    // The stage's books, opened as the gate opens them: the prefix from the stack (a custom
    // deploymentPrefix), else the framework's default; the records key the stack's template
    // pins (custom.smokeTest.recordsKey), else none.
    const place: StagePlace = {
      service,
      stage: request.stage,
      stack,
      deploymentPrefix: deploymentPrefixOf(code?.prefix, service, request.stage),
      recordsKey: code?.recordsKey,
      bucket: async () => bucket,
    };
    const books = await openRecordBooks(place, request.aws, request.deadline);
    const history = await deploymentHistory(books, live, books.trust);
    const traffic = trafficStageOf(outputs, stack);
    let liveDirectory = live?.directory;
    let aliases: TrafficAliases | null = null;
    if (traffic === undefined) {
      await markChangedOutside(history.deployments, liveDirectory, code?.code, request);
    } else {
      // Versions are immutable: the version's own record is the check, not the stack's template.
      ({ aliases, live: liveDirectory } = await trafficAliases(
        traffic,
        history.deployments,
        request,
      ));
    }
    return {
      stage: request.stage,
      stack,
      deployments: await deploymentEntries(books, history.deployments, liveDirectory),
      ignored: history.ignored,
      rewound: history.rewound,
      traffic: aliases,
    };
  })();
  return request.deadline.race(work, 'reading the deployment history');
}
