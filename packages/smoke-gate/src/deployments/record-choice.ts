// Which of a deployment's stored records the gate believes: the newest signed by the records key
// for this stage, dated no later than S3 allows; an edited, unsigned or postdated copy never
// outranks it, and a record that cannot be read whole is believed not at all.
import { PASSED_VERDICTS } from '../core/verdicts.ts';
import type { DeploymentBucket } from './deployment-bucket.ts';
import type { DeploymentRecord } from './deployment-record.ts';
import { type RecordKey, untrustedBecause } from './record-signature.ts';
import { type RecordRead, readRecordVersions } from './record-store.ts';
import type { AnchoredRead, AnchorState } from './stage-anchor.ts';

/** What a record must be checked against: the records key (or why there is none) and the stage. */
export interface RecordTrust {
  key: RecordKey | undefined;
  keyProblem: string;
  service: string;
  stage: string;
  /**
   * The stage's anchor outside the bucket (deployments/stage-anchor.ts), read with the key, and
   * where it lives; undefined where there is no key to check it with.
   */
  anchor?: { state: AnchorState; name: string } | undefined;
}

/** How far a record's signed time may run ahead of when S3 wrote it. */
export const RECORD_CLOCK_SKEW_MS = 10 * 60_000;

/**
 * Why a record whose signature holds is still not trusted, or undefined: written where the bucket
 * kept no versions, or dated far after S3 wrote it.
 */
function untrustedSigned(read: {
  record: DeploymentRecord;
  writtenAt?: number;
  unversioned?: true;
}): string | undefined {
  // Overwritten in a bucket that keeps no versions, a newer verdict would leave no trace.
  if (read.unversioned === true) {
    return 'written while the deployment bucket kept no versions, so an overwrite would leave no trace (turn versioning on: docs/signed-records.md)';
  }
  // A signed time in the future would win over every later verdict: bounded by S3's own clock.
  if (
    read.writtenAt !== undefined &&
    Date.parse(read.record.at) > read.writtenAt + RECORD_CLOCK_SKEW_MS
  ) {
    return `dated ${read.record.at}, more than ${RECORD_CLOCK_SKEW_MS / 60_000} minutes after S3 wrote it`;
  }
  return undefined;
}

/**
 * Why a deployment whose trusted record passed is still no rollback target: a later record says
 * it did not pass, signed or not (the gate writes a verdict unsigned when signing fails, and an
 * older signed `verified` must not outlive it). Believing a later failure only ever refuses.
 */
function laterFailure(reads: RecordRead[], trusted: DeploymentRecord): string | undefined {
  if (!PASSED_VERDICTS.includes(trusted.verdict)) return undefined;
  for (const read of reads) {
    if ('problem' in read || PASSED_VERDICTS.includes(read.record.verdict)) continue;
    if (Date.parse(read.record.at) <= Date.parse(trusted.at)) continue;
    return `a later record, itself untrusted, says ${read.record.verdict} (${read.record.at}), so the ${trusted.verdict} one of ${trusted.at} is not returned to`;
  }
  return undefined;
}

/**
 * A deployment's record: of every stored version, the newest trusted one by its signed time (an
 * older version restored over a newer verdict changes nothing); else the newest, untrusted. A
 * record whose versions cannot all be read is untrusted as a whole.
 */
export async function chosenRecord(
  place: DeploymentBucket,
  directory: string,
  trust: RecordTrust,
  ignored: string[],
  /** Every signed version that carries a sequence number, for the anchor check. */
  seen: AnchoredRead[] = [],
): Promise<{ record: DeploymentRecord | null; untrusted: string | null }> {
  const reads = await readRecordVersions(place, directory);
  if ('incomplete' in reads) {
    ignored.push(`record of ${directory} untrusted: ${reads.incomplete}`);
    return { record: null, untrusted: reads.incomplete };
  }
  let newest: { record: DeploymentRecord; why: string } | undefined;
  let trusted: DeploymentRecord | undefined;
  for (const read of reads) {
    if ('problem' in read) continue;
    // Each signature is checked once. The anchor asks only whether its record is still there,
    // signed: any signed version counts.
    const unsigned = untrustedBecause(read.record, trust.key, trust, trust.keyProblem);
    const { sequence } = read.record;
    if (unsigned === undefined && sequence !== undefined) {
      seen.push({ deployment: directory, sequence, sha256: read.sha256 });
    }
    const why = unsigned ?? untrustedSigned(read);
    if (why === undefined) {
      if (trusted === undefined || Date.parse(read.record.at) > Date.parse(trusted.at)) {
        trusted = read.record;
      }
    } else newest ??= { record: read.record, why };
  }
  // The current version, when it is not a record at all, is named (a trusted older one stands).
  const first = reads[0];
  if (first !== undefined && 'problem' in first) {
    ignored.push(`record of ${directory} ignored: ${first.problem}`);
  }
  if (trusted !== undefined) {
    const demoted = laterFailure(reads, trusted);
    if (demoted !== undefined) {
      ignored.push(`record of ${directory} untrusted: ${demoted}`);
      return { record: trusted, untrusted: demoted };
    }
    if (newest !== undefined && newest.record === (first as { record?: unknown })?.record) {
      ignored.push(
        `record of ${directory}: its current version is untrusted (${newest.why}); the older signed ${trusted.verdict} stands`,
      );
    }
    return { record: trusted, untrusted: null };
  }
  if (newest === undefined) return { record: null, untrusted: null };
  ignored.push(`record of ${directory} untrusted: ${newest.why}`);
  return { record: newest.record, untrusted: newest.why };
}
