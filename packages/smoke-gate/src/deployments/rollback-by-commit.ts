import type { AwsSettings } from '../aws/aws-clients.ts';
import { lambdaClientFor } from '../aws/lambda-client.ts';
import type { Deadline } from '../core/deadline.ts';
import { type PluginLog, SmokeTestFailedError } from '../core/framework.ts';
import { safeMessage, safeText } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE, PASSED_VERDICTS, recordedVerdictOf } from '../core/verdicts.ts';
import { aliasVersion, pointAlias } from '../traffic/aliases.ts';
import { TRAFFIC_NAMES, type TrafficStage } from '../traffic/traffic-stage.ts';
import type { VerificationOutcome } from '../verification/run-verification.ts';
import {
  liveOf,
  openBooks,
  openRecordBooks,
  recordVerdict,
  type StagePlace,
} from './deployment-books.ts';
import type { Deployment } from './deployment-history.ts';
import { type DeploymentIdentity, ID } from './deployment-record.ts';
import { deploymentEntries, type HistoryEntry } from './history.ts';
import type { FunctionVersionRecord } from './record-signature.ts';
import { forcedBy, rollbackRefusal, versionRefusal } from './rollback-checks.ts';

const listed = (entries: HistoryEntry[]) =>
  entries
    .map(
      (entry) =>
        `${entry.directory}  commit ${entry.commit ?? 'unknown'}  ${entry.verdict}${entry.live ? '  LIVE' : ''}`,
    )
    .join('\n  ');

/**
 * `--timestamp` as the framework's `rollback` reads it (osls 4 and Serverless 3 alike): a date
 * first (an ISO date, as the deployment folder names it), else a number of milliseconds; undefined
 * when it is neither. The check must look at the folder the framework will restore.
 */
export function frameworkTimestamp(raw: unknown): number | undefined {
  const text = String(raw);
  const asDate = new Date(text).valueOf();
  const ms = Number.isNaN(asDate) ? new Date(Number(text)).valueOf() : asDate;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Before any `serverless rollback` a person runs (`--commit` or `--timestamp`): `--commit <sha or
 * prefix>` becomes the framework's own `--timestamp` of the newest deployment built from it that
 * passed its gate, and the deployment is checked as the gate checks its own rollbacks
 * (rollback-checks.ts). An unknown or ambiguous prefix, or a refused deployment, changes nothing
 * (exit 2).
 */
export async function resolveRollbackCommit(input: {
  stage: StagePlace;
  aws: AwsSettings;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
  /** The traffic mode: `live` moves back instead of the stack (docs/traffic.md). */
  traffic?: TrafficRollback | undefined;
}): Promise<LiveRollback | undefined> {
  const { cliOptions } = input;
  const raw = cliOptions.commit;
  const fail = (message: string) => new SmokeTestFailedError(message, EXIT_COULD_NOT_JUDGE);
  if (raw !== undefined && cliOptions.timestamp !== undefined) {
    throw fail('pass --commit or --timestamp, not both');
  }
  if (raw !== undefined && (typeof raw !== 'string' || !ID.test(raw))) {
    throw fail(
      `--commit ${JSON.stringify(safeText(String(raw), 60))} is not a commit sha or prefix`,
    );
  }
  // Checked before anything is read: the folder the framework will restore.
  const askedAt = raw === undefined ? frameworkTimestamp(cliOptions.timestamp) : undefined;
  if (raw === undefined && askedAt === undefined) {
    throw fail(
      `--timestamp ${JSON.stringify(safeText(String(cliOptions.timestamp), 60))} is neither a date nor a number of milliseconds; nothing was changed`,
    );
  }
  // The books could not be opened (the pinned key does not hold, the bucket is unreadable):
  // nothing is checked, so nothing is restored.
  const books = await openBooks(input.stage, input.aws).catch((error: unknown) => {
    throw fail(`${safeMessage(error, 600)}; nothing was changed`);
  });
  const { deployments } = books.history;
  const entries = await deploymentEntries(books, deployments, books.history.live?.directory);
  let target: Deployment | undefined;
  if (typeof raw === 'string') {
    const wanted = raw.toLowerCase();
    // A commit named in full wins over longer ones it is a prefix of (`v1` against `v1-hotfix`).
    const exact = entries.filter((entry) => entry.commit?.toLowerCase() === wanted);
    const matches =
      exact.length > 0
        ? exact
        : entries.filter((entry) => entry.commit?.toLowerCase().startsWith(wanted));
    const commits = new Set(matches.map((entry) => entry.commit));
    if (matches.length === 0) {
      throw fail(
        `no deployment in the bucket was built from commit "${raw}"; nothing was changed. Deployments:\n  ${listed(entries) || '(none)'}`,
      );
    }
    if (commits.size > 1) {
      throw fail(
        `commit prefix "${raw}" matches ${commits.size} commits; nothing was changed. Candidates:\n  ${listed(matches)}`,
      );
    }
    // The newest deployment of that commit that passed its gate, else the newest one vouched for
    // (refused below unless forced), else the newest (refused below, with why).
    const of = (entry: HistoryEntry) => deployments.find((d) => d.directory === entry.directory);
    const candidates = matches.map(of).filter((d) => d !== undefined);
    const vouched = candidates.filter((d) => d.record !== null && d.untrusted === null);
    target =
      vouched.find((d) => PASSED_VERDICTS.includes(d.record?.verdict ?? '')) ??
      vouched[0] ??
      candidates[0];
  } else {
    target = deployments.find((deployment) => deployment.timestamp === askedAt);
  }
  // Not in the bucket: the framework's own rollback says so.
  if (target === undefined) {
    if (input.traffic !== undefined)
      throw fail('no such deployment in the bucket; nothing was changed');
    return undefined;
  }
  const force = forcedBy(cliOptions);
  if (input.traffic !== undefined) {
    return rollBackLive({ ...input, traffic: input.traffic }, target, { force, commit: raw });
  }
  const refused = await rollbackRefusal(books, target, { force });
  if (refused !== undefined) throw fail(`Rollback ${refused} Nothing was changed.`);
  cliOptions.timestamp = String(target.timestamp);
  const forced = force ? ' (forced)' : '';
  input.log.notice(
    `Rolling back to ${target.directory}${forced}, ${typeof raw === 'string' ? `the newest deployment of commit ${target.record?.commit}` : 'as asked'}.`,
  );
  return undefined;
}

/** The traffic mode's way back: the stage's aliases, and the framework's stack rollback skipped. */
export interface TrafficRollback {
  stage: TrafficStage;
  /** Takes the framework's stack rollback out of this command; false when it cannot. */
  skipStackRollback: () => boolean;
  deadline: Deadline;
}

/** What a rollback in the traffic mode did: the deployment `live` serves again, and from what. */
export interface LiveRollback {
  identity: DeploymentIdentity;
  functionVersion: FunctionVersionRecord;
  from: string | undefined;
  forced: boolean;
}

/**
 * The traffic mode: `live` moves to `target`'s version in one alias update, after the same record
 * checks as a stack rollback and the version's own code check (rollback-checks.ts); the stack is
 * not updated.
 */
async function rollBackLive(
  input: { aws: AwsSettings; log: PluginLog; traffic: TrafficRollback },
  target: Deployment,
  options: { force: boolean; commit: unknown },
): Promise<LiveRollback> {
  const { stage, deadline } = input.traffic;
  const fail = (message: string) => new SmokeTestFailedError(message, EXIT_COULD_NOT_JUDGE);
  const lambda = lambdaClientFor(input.aws);
  const { functionName } = stage;
  const refused = await versionRefusal(lambda, functionName, target, { ...options, deadline });
  if (refused !== undefined) throw fail(`Rollback ${refused} Nothing was changed.`);
  const functionVersion = target.record?.functionVersion as FunctionVersionRecord;
  if (!input.traffic.skipStackRollback()) {
    throw fail(
      "Rollback refused: this framework's stack rollback cannot be left out, and in the traffic mode only live moves. Nothing was changed.",
    );
  }
  const from = await aliasVersion(lambda, functionName, TRAFFIC_NAMES.live, deadline);
  const version = functionVersion.number;
  await pointAlias(lambda, { functionName, alias: TRAFFIC_NAMES.live, version }, deadline);
  input.log.notice(
    `Traffic mode: live moved ${from === undefined ? '' : `from version ${from} `}to version ${version} (deployment ${target.directory}${options.force ? ', forced' : ''}${typeof options.commit === 'string' ? `, commit ${target.record?.commit}` : ''}) in one alias update; the stack was not updated.`,
  );
  const identity = {
    directory: target.directory,
    commit: target.record?.commit ?? null,
    version: target.record?.version ?? null,
  };
  return { identity, functionVersion, from, forced: options.force };
}

/**
 * After any `serverless rollback`: records what the stack now runs with the verification's
 * verdict, and returns it (for the gate event).
 */
export async function recordManualRollback(input: {
  stage: StagePlace;
  log: PluginLog;
  aws: AwsSettings;
  outcome: VerificationOutcome;
  /** The operator passed --force: recorded with the verdict. */
  forced?: boolean;
  /** The traffic mode: the deployment `live` serves again (the stack's template names another). */
  restored?: LiveRollback | undefined;
}): Promise<DeploymentIdentity | undefined> {
  try {
    const books = await openRecordBooks(input.stage, input.aws);
    const live = input.restored?.identity ?? (await liveOf(input.aws, books));
    if (live === undefined) return undefined;
    const { exitCode, report } = input.outcome;
    const verdict = recordedVerdictOf({ exitCode, verdict: report?.verdict }, 'restored');
    const note = input.forced === true ? 'forced (--force) past its recorded verdict' : undefined;
    await recordVerdict(input, books, live, verdict, {
      outcome: input.outcome,
      ...(note === undefined ? {} : { note }),
      functionVersion: input.restored?.functionVersion,
    });
    return live;
  } catch (error) {
    input.log.notice(
      `deployment history unavailable (${safeMessage(error, 600)}): the rollback's verdict was not recorded.`,
    );
    return undefined;
  }
}
