import type { AwsSettings } from '../aws/aws-clients.ts';
import { frameworkAws } from '../aws/framework-aws.ts';
import { type PluginLog, type ServerlessLike, SmokeTestFailedError } from '../core/framework.ts';
import { safeMessage, safeText } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE, recordedVerdictOf } from '../core/verdicts.ts';
import type { VerificationOutcome } from '../verification/run-verification.ts';
import { openBooks, recordVerdict } from './deployment-books.ts';
import { type DeploymentIdentity, ID, timestampOf } from './deployment-record.ts';
import { deploymentEntries, type HistoryEntry } from './history.ts';

const listed = (entries: HistoryEntry[]) =>
  entries
    .map(
      (entry) =>
        `${entry.directory}  commit ${entry.commit ?? 'unknown'}  ${entry.verdict}${entry.live ? '  LIVE' : ''}`,
    )
    .join('\n  ');

/**
 * `serverless rollback --commit <sha or prefix>`: turns the commit into the framework's own
 * `--timestamp` of the newest deployment built from it. An unknown or ambiguous prefix changes
 * nothing and lists the candidates (exit 2).
 */
export async function resolveRollbackCommit(input: {
  serverless: ServerlessLike;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
}): Promise<void> {
  const { cliOptions, serverless } = input;
  const raw = cliOptions.commit;
  if (raw === undefined) return;
  const fail = (message: string) => new SmokeTestFailedError(message, EXIT_COULD_NOT_JUDGE);
  if (cliOptions.timestamp !== undefined) throw fail('pass --commit or --timestamp, not both');
  if (typeof raw !== 'string' || !ID.test(raw)) {
    throw fail(
      `--commit ${JSON.stringify(safeText(String(raw), 60))} is not a commit sha or prefix`,
    );
  }
  const aws = await frameworkAws(serverless);
  const books = await openBooks(serverless, aws);
  const entries = await deploymentEntries(
    books,
    books.history.deployments,
    books.history.live?.directory,
  );
  const wanted = raw.toLowerCase();
  const matches = entries.filter((entry) => entry.commit?.toLowerCase().startsWith(wanted));
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
  const target = matches[0] as HistoryEntry;
  cliOptions.timestamp = String(timestampOf(target.directory));
  input.log.notice(
    `Rolling back to ${target.directory}, the newest deployment of commit ${target.commit}.`,
  );
}

/**
 * After any `serverless rollback`: records what the stack now runs with the verification's
 * verdict, and returns it (for the gate event).
 */
export async function recordManualRollback(input: {
  serverless: ServerlessLike;
  log: PluginLog;
  aws: AwsSettings;
  outcome: VerificationOutcome;
}): Promise<DeploymentIdentity | undefined> {
  try {
    const books = await openBooks(input.serverless, input.aws);
    const live = books.history.live;
    if (live === undefined) return undefined;
    const { exitCode, report } = input.outcome;
    const verdict = recordedVerdictOf({ exitCode, verdict: report?.verdict }, 'restored');
    await recordVerdict(input, books, live, verdict, { outcome: input.outcome });
    return live;
  } catch (error) {
    input.log.notice(
      `deployment history unavailable (${safeMessage(error)}): the rollback's verdict was not recorded.`,
    );
    return undefined;
  }
}
