import type { SSMClient } from '@aws-sdk/client-ssm';
import { type AwsSettings, createCloudFormationClient } from '../aws/aws-clients.ts';
import { s3ClientFor } from '../aws/s3-client.ts';
import { ssmClientFor } from '../aws/ssm-client.ts';
import { createDeadline, type Deadline } from '../core/deadline.ts';
import { VERIFY_DEFAULTS } from '../core/defaults.ts';
import type { PluginLog } from '../core/framework.ts';
import { safeMessage } from '../core/safe-text.ts';
import type { VerificationOutcome } from '../verification/run-verification.ts';
import { type DeploymentBucket, hashArtifacts } from './deployment-bucket.ts';
import {
  type DeploymentHistory,
  deploymentHistory,
  liveDeployment,
  type RecordTrust,
} from './deployment-history.ts';
import {
  type ArtifactHash,
  ciRunFrom,
  type DeploymentIdentity,
  type DeploymentRecord,
  type RecordedVerdict,
  recordNote,
} from './deployment-record.ts';
import { type FunctionVersionRecord, signRecord } from './record-signature.ts';
import { writeRecord } from './record-store.ts';
import { recordTrust } from './records-key.ts';
import type { RecordsKeyPin } from './records-key-pin.ts';
import { recordSha256, writeAnchor } from './stage-anchor.ts';

/**
 * Where a stage's books are, as plain values: the framework's adapter (gate/stage-place.ts) reads
 * them from the framework; nothing here takes the framework's object.
 */
export interface StagePlace {
  service: string;
  stage: string;
  stack: string;
  /** The bucket's key prefix before `<service>/<stage>/` (the framework's deploymentPrefix). */
  deploymentPrefix: string;
  /** The pinned records key (custom.smokeTest.recordsKey); none: records are written unsigned. */
  recordsKey: RecordsKeyPin | undefined;
  /** The deployment bucket's name (the framework may have to look it up). */
  bucket(): Promise<string>;
}

/** What writing a record needs: the stage's deployment bucket, its records key, its artifacts. */
export interface RecordBooks extends DeploymentBucket {
  stack: string;
  /** The records key and the stage every record is signed for and checked against. */
  trust: RecordTrust;
  /** A deployment's artifact hashes, read from the bucket once per command. */
  artifactsOf(directory: string): Promise<Record<string, ArtifactHash>>;
  /** Where the stage's anchor is written (SSM). */
  anchorClient: SSMClient;
}

/** The stage's deployment bucket and what it holds: the live deployment and the history. */
export interface Books extends RecordBooks {
  history: DeploymentHistory;
}

/**
 * The bound of bookkeeping that runs outside a verification (opening the books for a rollback by
 * commit, recording a manual rollback): the default deadline, from now.
 */
const booksDeadline = (now: number = Date.now()): Deadline =>
  createDeadline(now + VERIFY_DEFAULTS.timeoutSeconds * 1000);

/**
 * The stage's deployment bucket and its records key, enough to write a record (no history read:
 * an interrupted gate records in what little time it has).
 */
export async function openRecordBooks(
  stage: StagePlace,
  aws: AwsSettings,
  deadline: Deadline = booksDeadline(),
): Promise<RecordBooks> {
  const bucket = await stage.bucket();
  const { service } = stage;
  const prefix = `${stage.deploymentPrefix}/${service}/${stage.stage}/`;
  const place = { s3: s3ClientFor(aws), bucket, prefix, deadline };
  const scope = { service, stage: stage.stage };
  const trust = await recordTrust(aws, stage.recordsKey, scope, deadline);
  const hashes = new Map<string, Promise<Record<string, ArtifactHash>>>();
  const artifactsOf = (directory: string) => {
    const known = hashes.get(directory) ?? hashArtifacts(place, directory);
    hashes.set(directory, known);
    return known;
  };
  return { ...place, stack: stage.stack, trust, artifactsOf, anchorClient: ssmClientFor(aws) };
}

/** What the stack runs now: its function's code directory and build stamp. */
export const liveOf = (aws: AwsSettings, books: RecordBooks) =>
  liveDeployment(createCloudFormationClient(aws), books.stack, books.deadline);

/** The stage's deployment bucket from the framework, with the live deployment and the history. */
export async function openBooks(
  stage: StagePlace,
  aws: AwsSettings,
  deadline: Deadline = booksDeadline(),
): Promise<Books> {
  const books = await openRecordBooks(stage, aws, deadline);
  const history = await deploymentHistory(books, await liveOf(aws, books), books.trust);
  return { ...books, history };
}

/**
 * The record signed with the records key; unsigned when it cannot be (no key, or credentials
 * that may not sign: a rollback run by hand), and then said: it will show as untrusted.
 */
async function signedOrSaid(
  context: { log: PluginLog },
  books: RecordBooks,
  record: DeploymentRecord,
): Promise<DeploymentRecord> {
  const { key, keyProblem } = books.trust;
  let why = keyProblem;
  if (key !== undefined) {
    try {
      return await signRecord(record, key, books.trust);
    } catch (error) {
      why = `signing was refused: ${safeMessage(error, 160)}`;
    }
  }
  context.log.notice(
    `deployment ${record.deployment}'s ${record.verdict} record is written unsigned (${why}): history shows it as untrusted and no rollback returns to it. Records are signed by the deploy role with the records key: docs/signed-records.md.`,
  );
  // Unsigned, it is no link in the stage's numbered chain.
  const { sequence: _unnumbered, ...unsigned } = record;
  return unsigned;
}

/** The next record's sequence number, where the stage is anchored (a key, an anchor it signed). */
function nextSequence(books: RecordBooks): number | undefined {
  const state = books.trust.anchor?.state;
  if (books.trust.key === undefined || state === undefined || state.kind === 'untrusted') {
    return undefined;
  }
  return state.kind === 'anchored' ? state.sequence + 1 : 1;
}

/**
 * Moves the stage's anchor to the record just written. A failure is said, never fatal: the
 * record stands, unanchored (a bucket newer than its anchor is not a rewind).
 */
async function anchor(
  context: { log: PluginLog },
  books: RecordBooks,
  record: DeploymentRecord,
  sequence: number,
): Promise<void> {
  const { key, anchor: where } = books.trust;
  if (key === undefined || where === undefined) return;
  const body = {
    sequence,
    deployment: record.deployment,
    recordSha256: recordSha256(JSON.stringify(record)),
    at: record.at,
  };
  const scope = {
    service: books.trust.service,
    stage: books.trust.stage,
    account: key.account,
    region: key.region,
  };
  try {
    await writeAnchor(books.anchorClient, where.name, body, { key, scope }, books.deadline);
    where.state = { kind: 'anchored', ...body };
  } catch (error) {
    context.log.notice(
      `the stage's anchor was not moved to deployment ${record.deployment}'s record (${safeMessage(error, 200)}): that record is not anchored.`,
    );
  }
}

/**
 * Records a verdict for a deployment, with its artifacts' hashes; a failure is reported, never
 * swallowed. Resolves true when the record was written.
 */
export async function recordVerdict(
  context: { log: PluginLog; env?: NodeJS.ProcessEnv | undefined },
  books: RecordBooks,
  identity: DeploymentIdentity,
  verdict: RecordedVerdict,
  extra: {
    outcome?: VerificationOutcome;
    rolledBackTo?: string;
    note?: string;
    /** The traffic mode: the function version the deployment ran as. */
    functionVersion?: FunctionVersionRecord | undefined;
  } = {},
): Promise<boolean> {
  try {
    const record: DeploymentRecord = {
      schema: 1,
      deployment: identity.directory,
      verdict,
      at: new Date().toISOString(),
      commit: identity.commit,
      version: identity.version,
      ci: ciRunFrom(context.env ?? process.env),
      artifacts: await books.artifactsOf(identity.directory),
      correlationId: extra.outcome?.report?.correlationId ?? null,
      rolledBackTo: extra.rolledBackTo ?? null,
      note: extra.note === undefined ? null : recordNote(extra.note),
      ...(extra.functionVersion === undefined ? {} : { functionVersion: extra.functionVersion }),
    };
    const sequence = nextSequence(books);
    const signed = await signedOrSaid(
      context,
      books,
      sequence === undefined ? record : { ...record, sequence },
    );
    const { versioned } = await writeRecord(books, signed);
    if (!versioned && signed.signature) {
      context.log.notice(
        `deployment ${identity.directory}'s ${verdict} record is written into a deployment bucket that keeps no versions: it is untrusted, and no rollback returns to it (turn versioning on: docs/bucket-and-live.md).`,
      );
    }
    if (sequence !== undefined && signed.signature) await anchor(context, books, signed, sequence);
    return true;
  } catch (error) {
    context.log.notice(
      `could not record deployment ${identity.directory} as ${verdict}: ${safeMessage(error)} (the verdict stands${verdict === 'verified' ? '; a rollback will not return to it' : ''})`,
    );
    return false;
  }
}
