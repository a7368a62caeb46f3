// Signed records: only the pipeline can have written what the gate restores. Each record is
// signed with the stage account's records key (KMS, ECC_NIST_P256, SIGN_VERIFY; its key policy
// lets only the deploy role sign) over all of it: service, stage, account, region, deployment
// folder, commit, version, artifact hashes and object versions, verdict, time, the deployment
// rolled back to, (payload 2) the CI run, the note (which says "forced") and the correlation
// id, and (payload 3) the function version the traffic mode served it as, with its CodeSha256.
// Records signed with payloads 1 and 2 still verify over what those covered. The
// gate verifies with the key's public key, here, without a call per record. Anyone who
// can only write to the bucket cannot make a record the gate trusts.

import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { isRecord } from '../core/json.ts';

/** The one signing algorithm: ECDSA over P-256 with SHA-256 (KMS's ECDSA_SHA_256, DER). */
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';

/** The key's alias when custom.smokeTest.recordsKey names none: one per service, account and region. */
export const recordsKeyAlias = (service: string): string => `alias/${service}-smoke-records`;

/** The records key a service names (custom.smokeTest.recordsKey: `named`), else its default alias. */
export const recordsKeyOf = (named: unknown, service: string): string =>
  typeof named === 'string' && named !== '' ? named : recordsKeyAlias(service);

/** The fields of a record a signature covers (deployment-record.ts's DeploymentRecord has them). */
export interface SignedFields {
  deployment: string;
  verdict: string;
  at: string;
  commit: string | null;
  version: string | null;
  artifacts: Record<string, { sha256: string; versionId: string | null }>;
  rolledBackTo: string | null;
  ci: { server: string; repository: string; runId: string } | null;
  note: string | null;
  correlationId: string | null;
  sequence?: number;
  /** The traffic mode: the function version the deployment ran as (docs/traffic.md). */
  functionVersion?: FunctionVersionRecord | null;
  scope?: RecordScope | null;
  signature?: RecordSignature | null;
}

/** A published function version as a record names it: its number and Lambda's CodeSha256 (base64). */
export interface FunctionVersionRecord {
  number: string;
  codeSha256: string;
}

/** Where a record belongs: what the signature binds it to besides its own fields. */
export interface RecordScope {
  service: string;
  stage: string;
  account: string;
  region: string;
}

/** A record's signature as stored in it. */
export interface RecordSignature {
  keyArn: string;
  algorithm: typeof SIGNING_ALGORITHM;
  /** base64 of the DER signature. */
  value: string;
  /** What the signature covers: payload 3 (all of the record), 2 (before function versions); absent on payload 1 records. */
  payload?: SignedPayload;
}

/** The payload every new record is signed with (signedPayload). */
export const SIGNED_PAYLOAD = 3;

/** Every payload a record may be signed with (1 is the absence of the field). */
export type SignedPayload = 2 | typeof SIGNED_PAYLOAD;

/** The records key as the gate holds it: its ARN, account and region, public key, and signing. */
export interface RecordKey {
  arn: string;
  account: string;
  region: string;
  publicKey: KeyObject;
  /** Signs with KMS (the deploy role's right); rejects for anyone else. */
  sign(payload: Uint8Array): Promise<Uint8Array>;
}

/** `arn:aws:kms:<region>:<account>:key/<id>` -> its region and account. */
export function keyPlace(arn: string): { account: string; region: string } | undefined {
  const match = /^arn:aws[a-z-]*:kms:([a-z0-9-]{1,30}):(\d{12}):key\/[0-9A-Za-z-]{1,128}$/.exec(
    arn,
  );
  return match === null ? undefined : { region: match[1] as string, account: match[2] as string };
}

/** The public key from KMS's GetPublicKey (DER SubjectPublicKeyInfo). */
export const publicKeyOf = (der: Uint8Array): KeyObject =>
  createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });

/**
 * The bytes a signature covers: the scope and every field of the record, in one fixed order (a
 * JSON array, artifacts sorted by name), so no two records share them. Payload 1 covered the
 * fields a rollback relies on; payload 2 adds the CI run, the note, the correlation id and the
 * stage's sequence number; payload 3 the function version and its CodeSha256.
 */
export function signedPayload(
  record: SignedFields,
  scope: RecordScope,
  payload: 1 | SignedPayload = SIGNED_PAYLOAD,
): Uint8Array {
  const artifacts = Object.entries(record.artifacts)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, hash]) => [name, hash.sha256, hash.versionId]);
  const ci = record.ci === null ? null : [record.ci.server, record.ci.repository, record.ci.runId];
  const fn = record.functionVersion ?? null;
  const all = payload === 1 ? [] : [ci, record.note, record.correlationId, record.sequence ?? null];
  const versioned = payload === 3 ? [fn === null ? null : [fn.number, fn.codeSha256]] : [];
  return Buffer.from(
    JSON.stringify([
      `petsage-smoke-record/${payload}`,
      scope.service,
      scope.stage,
      scope.account,
      scope.region,
      record.deployment,
      record.commit,
      record.version,
      artifacts,
      record.verdict,
      record.at,
      record.rolledBackTo,
      ...all,
      ...versioned,
    ]),
  );
}

/** Signs a record for its scope: the record with its scope and signature. */
export async function signRecord<R extends SignedFields>(
  record: R,
  key: RecordKey,
  scope: Pick<RecordScope, 'service' | 'stage'>,
): Promise<R> {
  const full = {
    service: scope.service,
    stage: scope.stage,
    account: key.account,
    region: key.region,
  };
  const signature = await key.sign(signedPayload(record, full));
  return {
    ...record,
    scope: full,
    signature: {
      keyArn: key.arn,
      algorithm: SIGNING_ALGORITHM,
      value: Buffer.from(signature).toString('base64'),
      payload: SIGNED_PAYLOAD,
    },
  };
}

/**
 * Why a record is not trusted for this stage, or undefined when it is: signed by this key, for
 * this service, stage, account and region, over exactly these fields.
 */
export function untrustedBecause(
  record: SignedFields,
  key: RecordKey | undefined,
  scope: Pick<RecordScope, 'service' | 'stage'>,
  keyProblem = 'no records key',
): string | undefined {
  if (record.signature === null || record.signature === undefined) return 'unsigned';
  if (key === undefined) return `cannot be checked: ${keyProblem}`;
  if (record.signature.keyArn !== key.arn) return 'signed by another key';
  const expected = {
    service: scope.service,
    stage: scope.stage,
    account: key.account,
    region: key.region,
  };
  const payload = signedPayload(record, expected, record.signature.payload ?? 1);
  let valid = false;
  try {
    valid = verify('sha256', payload, key.publicKey, Buffer.from(record.signature.value, 'base64'));
  } catch {
    valid = false;
  }
  return valid
    ? undefined
    : 'wrongly signed (altered, or signed for another deployment, stage, service, account or region)';
}

const SCOPE_PART = /^[0-9A-Za-z._-]{1,128}$/;

/** A record's scope and signature, shape-checked (whether they hold is record-signature.ts's job). */
export function signedParts(
  value: Record<string, unknown>,
): { scope: RecordScope | null; signature: RecordSignature | null } | undefined {
  const { scope, signature } = value;
  if ((scope ?? null) === null && (signature ?? null) === null) {
    return { scope: null, signature: null };
  }
  if (!isRecord(scope) || !isRecord(signature)) return undefined;
  const parts = [scope.service, scope.stage, scope.account, scope.region];
  if (!parts.every((part) => typeof part === 'string' && SCOPE_PART.test(part))) return undefined;
  if (
    typeof signature.keyArn !== 'string' ||
    keyPlace(signature.keyArn) === undefined ||
    signature.algorithm !== SIGNING_ALGORITHM ||
    typeof signature.value !== 'string' ||
    !/^[A-Za-z0-9+/]{16,200}={0,2}$/.test(signature.value) ||
    (signature.payload !== undefined && signature.payload !== 2 && signature.payload !== 3)
  ) {
    return undefined;
  }
  return {
    scope: {
      service: scope.service as string,
      stage: scope.stage as string,
      account: scope.account as string,
      region: scope.region as string,
    },
    signature: {
      keyArn: signature.keyArn,
      algorithm: SIGNING_ALGORITHM,
      value: signature.value,
      ...(signature.payload === undefined ? {} : { payload: signature.payload as SignedPayload }),
    },
  };
}
