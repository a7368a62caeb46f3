import {
  type CloudFormationClient,
  GetTemplateCommand,
  type GetTemplateCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { callAws } from '../aws/aws-call.ts';
import type { Deadline } from '../core/deadline.ts';
import type { Verdict, VerifyReport } from '../verification/verify-deployment.ts';
import { stampedFunction, type TemplateResources } from './build-stamp.ts';
import { type DeploymentBucket, listDeployments } from './deployment-bucket.ts';
import { type DeploymentIdentity, type DeploymentRecord, DIRECTORY } from './deployment-record.ts';
import { chosenRecord, type RecordTrust } from './record-choice.ts';
import { type RecordsKeyPin, readRecordsKeyPin } from './records-key-pin.ts';
import { type AnchoredRead, rewoundBecause } from './stage-anchor.ts';

export type { RecordTrust } from './record-choice.ts';

/** One deployment in the deployment bucket (a framework artifact directory) and its record. */
export interface Deployment {
  /** The artifact directory name, `<epoch ms>-<ISO time>`. */
  directory: string;
  /** Its epoch ms, as `serverless rollback --timestamp` takes it. */
  timestamp: number;
  /** The gate's record of it, when there is one that passed every check. */
  record: DeploymentRecord | null;
  /** Why its record is not trusted (unsigned, wrongly signed...); null when trusted or absent. */
  untrusted: string | null;
  /** When the gate last verified it (verified, or restored and verified again), if ever. */
  verifiedAt: string | null;
}

/** What the stack runs now, the deployments still in the bucket (newest first), what was ignored. */
export interface DeploymentHistory {
  live: DeploymentIdentity | undefined;
  deployments: Deployment[];
  /** One line per record that was not trusted (missing, malformed, hostile). */
  ignored: string[];
  /** Why the stage's records are untrusted as a whole (its anchor says more), or null. */
  rewound: string | null;
}

/** What a rollback did, as `--json` carries it. */
export interface RollbackFacts {
  from: string | null;
  to: string;
  toVerifiedAt: string | null;
  /** The restored deployment's verification; null when the rollback itself failed. */
  restored: VerifyReport | null;
  error: string | null;
}

/** What to do after a verification that ran after `serverless deploy`. */
export type RollbackDecision =
  | { action: 'record'; deployment: string }
  | { action: 'keep'; reason: string }
  | { action: 'superseded'; own: DeploymentIdentity; live: DeploymentIdentity | undefined }
  | { action: 'rollback'; from: string | undefined; to: Deployment };

/**
 * The decision, from the verdict, the history and the deployment this command made (`own`).
 * Nothing is recorded or rolled back for a deployment that is no longer live: another deploy
 * took over. Only a definitive FAIL (exit 1) rolls back, and only to a deployment that passed
 * before and is not the one live now.
 */
export function decideRollback(input: {
  exitCode: number;
  verdict: Verdict | undefined;
  enabled: boolean;
  disabledBy?: string | undefined;
  history: DeploymentHistory;
  /** The deployment this command made; the live one when it made none. */
  own?: DeploymentIdentity | undefined;
}): RollbackDecision {
  const { history } = input;
  const live = history.live?.directory;
  const own = input.own ?? history.live;
  if (own !== undefined && live !== own.directory) {
    return { action: 'superseded', own, live: history.live };
  }
  if (input.exitCode === 0) {
    return live === undefined
      ? { action: 'keep', reason: 'verified, but the live deployment could not be identified' }
      : { action: 'record', deployment: live };
  }
  if (input.exitCode !== 1 || input.verdict !== 'failed') {
    return {
      action: 'keep',
      reason:
        'the verification could not judge this deployment (exit 2), so nothing is rolled back: only a definitive FAIL rolls back. The deployment stays live.',
    };
  }
  if (!input.enabled) {
    return {
      action: 'keep',
      reason: `rollback is off (${input.disabledBy ?? 'custom.smokeTest.rollbackOnFailure: false'}): the failed deployment stays live.`,
    };
  }
  const current = history.deployments.find((d) => d.directory === live);
  if (current?.verifiedAt) {
    return {
      action: 'keep',
      reason: `the live deployment ${current.directory} passed on ${current.verifiedAt}: this failure did not come with a new deployment (check the log path, permissions and the route), so no rollback.`,
    };
  }
  const target = history.deployments.find((d) => d.verifiedAt !== null && d.directory !== live);
  if (target === undefined) {
    return {
      action: 'keep',
      reason:
        'there is no verified deployment to return to (a first deploy, or the verified ones were pruned from the deployment bucket): the failed deployment stays live.',
    };
  }
  return { action: 'rollback', from: live, to: target };
}

/** The artifact directory of an S3 key such as `serverless/<svc>/<stage>/<dir>/health.zip`. */
export const deploymentOfKey = (key: string): string | undefined =>
  key.split('/').find((part) => DIRECTORY.test(part));

/**
 * What the stack runs now: its function's code directory and build stamp, and the bucket prefix
 * its deployments live under (`<deploymentPrefix>/<service>/<stage>/`, read from the code's key,
 * so a custom `deploymentPrefix` needs no serverless.yml).
 */
export async function liveCode(
  cloudFormation: CloudFormationClient,
  stackName: string,
  deadline: Deadline,
): Promise<
  | {
      live: DeploymentIdentity;
      prefix: string;
      recordsKey: RecordsKeyPin | undefined;
      /** The function and the name of its zip in the deployment, where the template says. */
      code: { functionName: string; zip: string } | undefined;
    }
  | undefined
> {
  const { TemplateBody } = await callAws<GetTemplateCommandOutput>(
    cloudFormation,
    new GetTemplateCommand({ StackName: stackName }),
    {
      what: `reading the template of stack ${stackName}`,
      deadline,
      needs: 'cloudformation:GetTemplate on the stack',
    },
  );
  const template = JSON.parse(TemplateBody ?? '{}') as {
    Resources?: TemplateResources;
    Metadata?: { SmokeGate?: { RecordsKey?: unknown } };
  };
  const named = template.Metadata?.SmokeGate?.RecordsKey;
  const { codeKey, commit, version, functionName } = stampedFunction(template.Resources);
  const directory = codeKey === undefined ? undefined : deploymentOfKey(codeKey);
  if (codeKey === undefined || directory === undefined) return undefined;
  const prefix = codeKey.slice(0, codeKey.indexOf(`${directory}/`));
  // A pin the template carries, checked as any value from outside: a malformed one pins nothing.
  const pin = readRecordsKeyPin(named, "the template's records key");
  const recordsKey = pin instanceof Error ? undefined : pin;
  const zip = codeKey.slice(codeKey.indexOf(`${directory}/`) + directory.length + 1);
  const code = functionName === undefined ? undefined : { functionName, zip };
  return { live: { directory, commit, version }, prefix, recordsKey, code };
}

/** The deployment the stack runs now: its function's code directory and build stamp. */
export async function liveDeployment(
  cloudFormation: CloudFormationClient,
  stackName: string,
  deadline: Deadline,
): Promise<DeploymentIdentity | undefined> {
  return (await liveCode(cloudFormation, stackName, deadline))?.live;
}

const isVerified = (record: DeploymentRecord | null) =>
  record !== null && (record.verdict === 'verified' || record.verdict === 'restored');

/** The deployments still in the bucket with their records (checked, never trusted raw). */
export async function deploymentHistory(
  place: DeploymentBucket,
  live: DeploymentIdentity | undefined,
  trust: RecordTrust,
): Promise<DeploymentHistory> {
  const { directories, records, postdated } = await listDeployments(place);
  const ignored = postdated.map(
    (directory) =>
      `deployment folder ${directory} ignored: named more than 10 minutes after S3 wrote its objects`,
  );
  const deployments: Deployment[] = [];
  const seen: AnchoredRead[] = [];
  for (const directory of directories) {
    const { record, untrusted } = records.has(directory)
      ? await chosenRecord(place, directory, trust, ignored, seen)
      : { record: null, untrusted: null };
    deployments.push({
      directory,
      timestamp: Number(DIRECTORY.exec(directory)?.[1]),
      record,
      untrusted,
      verifiedAt: untrusted === null && isVerified(record) ? (record?.at ?? null) : null,
    });
  }
  deployments.sort((a, b) => b.timestamp - a.timestamp);
  const rewound = await rewoundStage(place, trust, { records, directories, seen });
  if (rewound === null) return { live, deployments, ignored, rewound };
  // Nothing of a rewound stage is trusted: no deployment is one to return to.
  ignored.push(`the stage's records are untrusted (rewound): ${rewound}`);
  const untrusted = `the stage was rewound: ${rewound}`;
  return {
    live,
    deployments: deployments.map((d) => ({ ...d, untrusted, verifiedAt: null })),
    ignored,
    rewound,
  };
}

/**
 * Why the stage's records are rewound (deployments/stage-anchor.ts), or null. The anchored
 * deployment's record is read even when its folder is gone from the bucket.
 */
async function rewoundStage(
  place: DeploymentBucket,
  trust: RecordTrust,
  read: { records: Set<string>; directories: string[]; seen: AnchoredRead[] },
): Promise<string | null> {
  if (trust.anchor === undefined) return null;
  const { state } = trust.anchor;
  if (state.kind === 'anchored' && !read.directories.includes(state.deployment)) {
    if (read.records.has(state.deployment)) {
      await chosenRecord(place, state.deployment, trust, [], read.seen);
    }
  }
  return rewoundBecause(state, read.seen) ?? null;
}
