import { createHash } from 'node:crypto';
import { isRecord } from '../core/json.ts';
import { safeText } from '../core/safe-text.ts';
import { RECORDED_VERDICTS, type RecordedVerdict } from '../core/verdicts.ts';
import {
  type FunctionVersionRecord,
  type RecordScope,
  type RecordSignature,
  signedParts,
} from './record-signature.ts';

/** A time as the gate and the framework write it (`toISOString()`); `Date.parse` takes far more. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** Where the gate's records live: beside the framework's deployment directories, one per deployment. */
export const RECORDS_FOLDER = 'smoke-records';
/** A record is a few hundred bytes; anything larger is not ours. */
export const RECORD_MAX_BYTES = 16 * 1024;
/** A record's note is cut to this many characters, when written and when read (it is signed). */
const NOTE_MAX_CHARS = 400;

/** A note as a record carries it: escaped and cut, the same when written and when read. */
export const recordNote = (text: string): string => safeText(text, NOTE_MAX_CHARS);

/** A deployment has a template, a zip or two and the framework's state: more is not ours. */
const MAX_ARTIFACTS = 20;

export type { RecordedVerdict } from '../core/verdicts.ts';

/** The CI run that made a verdict, when one is known (GitHub Actions). */
export interface CiRun {
  server: string;
  repository: string;
  runId: string;
}

/** An artifact as it was when the verdict was recorded. */
export interface ArtifactHash {
  sha256: string;
  versionId: string | null;
}

/**
 * One deployment's record: who built it (commit, version), what the gate said, when, in which
 * CI run, and what its artifacts were (hashes, object versions), so a rollback can refuse
 * artifacts that changed since. Written after each verdict; read as hostile input.
 */
export interface DeploymentRecord {
  schema: 1;
  deployment: string;
  verdict: RecordedVerdict;
  at: string;
  commit: string | null;
  version: string | null;
  ci: CiRun | null;
  artifacts: Record<string, ArtifactHash>;
  correlationId: string | null;
  /** For `rolled-back`: the deployment the stack returned to. */
  rolledBackTo: string | null;
  /** One line on why (superseded by whom, what could not be judged). */
  note: string | null;
  /**
   * The stage's record count when the deploy role wrote it: the stage's anchor outside the bucket
   * (deployments/stage-anchor.ts) names the newest. Absent on records from before anchors.
   */
  sequence?: number;
  /** The traffic mode: the function version this deployment ran as (absent: all at once). */
  functionVersion?: FunctionVersionRecord | null;
  /** Where it was signed for (record-signature.ts); absent on records from before signing. */
  scope?: RecordScope | null;
  /** The records key's signature over the scope and the fields above; absent: unsigned. */
  signature?: RecordSignature | null;
}

/** The identity of a deployment: its artifact directory and what it was built from. */
export interface DeploymentIdentity {
  directory: string;
  commit: string | null;
  version: string | null;
}

/** What a commit, version or correlation id may look like: anything else is not trusted. */
export const ID = /^[0-9A-Za-z._:+-]{1,80}$/;
/** A framework artifact directory, `<epoch ms>-<ISO time>`; the first group is the epoch ms. */
export const DIRECTORY = new RegExp(`^(\\d{13})-${ISO_TIME.source.slice(1)}`);
const ARTIFACT = /^[0-9A-Za-z._-]{1,128}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** The sha256 of an artifact's bytes, as hex. */
export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/** The GitHub Actions run from its default environment variables, when they are all sane. */
export function ciRunFrom(env: NodeJS.ProcessEnv): CiRun | null {
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  const runId = env.GITHUB_RUN_ID;
  if (
    server === undefined ||
    !/^https:\/\/[0-9A-Za-z.-]{1,200}$/.test(server) ||
    repository === undefined ||
    !/^[0-9A-Za-z_.-]{1,100}\/[0-9A-Za-z_.-]{1,100}$/.test(repository) ||
    runId === undefined ||
    !/^\d{1,20}$/.test(runId)
  ) {
    return null;
  }
  return { server, repository, runId };
}

/** The CI run's page, e.g. https://github.com/o/r/actions/runs/1. */
export const ciRunUrl = (ci: CiRun): string =>
  `${ci.server}/${ci.repository}/actions/runs/${ci.runId}`;

type Parsed = { record: DeploymentRecord } | { problem: string };

/** A published version's number and Lambda's CodeSha256 (base64 of 32 bytes). */
export const isFunctionVersion = (value: unknown): value is FunctionVersionRecord =>
  isRecord(value) &&
  typeof value.number === 'string' &&
  /^\d{1,10}$/.test(value.number) &&
  typeof value.codeSha256 === 'string' &&
  /^[A-Za-z0-9+/]{43}=$/.test(value.codeSha256) &&
  Object.keys(value).length === 2;

/** A stage's record count: a whole number from 1. */
export const isSequence = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 1;

const optionalId = (value: unknown): value is string | null =>
  value === null || (typeof value === 'string' && ID.test(value));

function checkArtifacts(value: unknown): value is Record<string, ArtifactHash> {
  if (!isRecord(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= MAX_ARTIFACTS &&
    entries.every(
      ([name, hash]) =>
        ARTIFACT.test(name) &&
        isRecord(hash) &&
        typeof hash.sha256 === 'string' &&
        SHA256.test(hash.sha256) &&
        (hash.versionId === null ||
          (typeof hash.versionId === 'string' && hash.versionId.length <= 1024)),
    )
  );
}

/** The fields records gained over time (CI run, signature, sequence, function version), checked. */
function laterFields(value: Record<string, unknown>):
  | { problem: string }
  | {
      ci: CiRun | null;
      signed: Pick<DeploymentRecord, 'scope' | 'signature'>;
      sequence: unknown;
      functionVersion: FunctionVersionRecord | null;
    } {
  const ci =
    // Stryker disable next-line ConditionalExpression: equivalent, ciRunFrom({}) is null as well.
    value.ci === null
      ? null
      : ciRunFrom(
          isRecord(value.ci)
            ? {
                GITHUB_SERVER_URL: String(value.ci.server),
                GITHUB_REPOSITORY: String(value.ci.repository),
                GITHUB_RUN_ID: String(value.ci.runId),
              }
            : {},
        );
  if (value.ci !== null && ci === null) return { problem: 'CI run of the wrong shape' };
  const signed = signedParts(value);
  if (signed === undefined) return { problem: 'signature of the wrong shape' };
  const { sequence } = value;
  if (sequence !== undefined && sequence !== null && !isSequence(sequence)) {
    return { problem: 'sequence of the wrong shape' };
  }
  const functionVersion = value.functionVersion ?? null;
  if (functionVersion !== null && !isFunctionVersion(functionVersion)) {
    return { problem: 'function version of the wrong shape' };
  }
  return { ci, signed, sequence, functionVersion };
}

/**
 * Reads a record for `directory` from outside (the deployment bucket): size-capped, JSON, every
 * field of the right shape and for this deployment, or a one-line reason it is ignored. Nothing
 * in it is trusted beyond these checks; its artifact hashes are checked against the bucket again
 * before any rollback.
 */
export function parseRecord(text: string, directory: string): Parsed {
  if (Buffer.byteLength(text) > RECORD_MAX_BYTES) {
    return { problem: `larger than ${RECORD_MAX_BYTES} bytes` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  if (!isRecord(value) || value.schema !== 1) return { problem: 'not a schema 1 record' };
  if (value.deployment !== directory) return { problem: 'names another deployment' };
  if (!(RECORDED_VERDICTS as readonly unknown[]).includes(value.verdict))
    return { problem: 'unknown verdict' };
  if (
    typeof value.at !== 'string' ||
    !ISO_TIME.test(value.at) ||
    !Number.isFinite(Date.parse(value.at))
  ) {
    return { problem: 'no valid time' };
  }
  if (!optionalId(value.commit) || !optionalId(value.version)) {
    return { problem: 'commit or version of the wrong shape' };
  }
  if (!optionalId(value.correlationId)) return { problem: 'correlation id of the wrong shape' };
  if (
    value.rolledBackTo !== null &&
    !(typeof value.rolledBackTo === 'string' && DIRECTORY.test(value.rolledBackTo))
  ) {
    return { problem: 'rolledBackTo of the wrong shape' };
  }
  if (value.note !== null && typeof value.note !== 'string')
    return { problem: 'note of the wrong shape' };
  if (!checkArtifacts(value.artifacts)) return { problem: 'artifacts of the wrong shape' };
  const later = laterFields(value);
  if ('problem' in later) return { problem: later.problem };
  const { ci, signed, sequence, functionVersion } = later;
  return {
    record: {
      schema: 1,
      deployment: directory,
      verdict: value.verdict as RecordedVerdict,
      at: value.at,
      commit: value.commit,
      version: value.version,
      ci,
      artifacts: value.artifacts,
      correlationId: value.correlationId,
      rolledBackTo: value.rolledBackTo as string | null,
      note: value.note === null ? null : recordNote(value.note),
      ...(isSequence(sequence) ? { sequence } : {}),
      ...(functionVersion === null ? {} : { functionVersion }),
      ...signed,
    },
  };
}

/** `1795435817943-2026-11-23T12:10:17.943Z` -> its epoch ms (the framework's rollback timestamp). */
export const timestampOf = (directory: string): number => Number(directory.split('-')[0]);

/** A deployment as people name it: its time and commit (short). */
export const describeDeployment = (identity: DeploymentIdentity): string =>
  `${identity.directory} (commit ${identity.commit === null ? 'unknown' : identity.commit.slice(0, 12)})`;
