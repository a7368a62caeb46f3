// The records key, pinned: `custom.smokeTest.recordsKey: { arn, publicKeySha256 }`, written to the
// template's metadata at package time. The gate reads the key by that ARN only and checks its
// public key against the fingerprint: re-pointing an alias, or a key policy changed to let
// another key in, changes nothing it trusts. An alias only helps find the ARN once, at setup
// (`smoke-gate records-key`).
import { createHash } from 'node:crypto';
import { isRecord } from '../core/json.ts';
import { safeJson } from '../core/safe-text.ts';
import { keyPlace } from './record-signature.ts';

/** The pinned records key: its ARN and the sha256 of its public key (DER SubjectPublicKeyInfo). */
export interface RecordsKeyPin {
  arn: string;
  publicKeySha256: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The fingerprint a pin holds: the sha256 (hex) of the key's DER SubjectPublicKeyInfo. */
export const publicKeySha256 = (der: Uint8Array): string =>
  createHash('sha256').update(der).digest('hex');

/**
 * Reads a pin from outside (serverless.yml, a stack's template): undefined when there is none,
 * else the pin, or a one-line Error naming `where` and what it must be.
 */
export function readRecordsKeyPin(
  value: unknown,
  where: string,
): RecordsKeyPin | undefined | Error {
  if (value === undefined || value === null) return undefined;
  const form = `${where} must be { arn: <the records key's ARN>, publicKeySha256: <64 hex characters> } (npx smoke-gate records-key prints it)`;
  if (!isRecord(value)) return new Error(`${form}, not ${safeJson(value)}`);
  const extra = Object.keys(value).filter((key) => key !== 'arn' && key !== 'publicKeySha256');
  const { arn, publicKeySha256: fingerprint } = value;
  if (typeof arn !== 'string' || keyPlace(arn) === undefined) {
    return new Error(`${form}: arn ${safeJson(arn)} is not a KMS key ARN`);
  }
  if (typeof fingerprint !== 'string' || !SHA256_HEX.test(fingerprint)) {
    return new Error(
      `${form}: publicKeySha256 ${safeJson(fingerprint)} is not 64 lowercase hex characters`,
    );
  }
  if (extra.length > 0) return new Error(`${form}: unknown key ${safeJson(extra[0])}`);
  return { arn, publicKeySha256: fingerprint };
}
