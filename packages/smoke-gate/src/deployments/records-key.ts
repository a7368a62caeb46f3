// The records key of a stage's account and region, opened once per command: its public key
// (to check every record here) and the signing call (the deploy role's right alone).

import {
  DescribeKeyCommand,
  type DescribeKeyCommandOutput,
  GetPublicKeyCommand,
  type GetPublicKeyCommandOutput,
  type KMSClient,
  SignCommand,
  type SignCommandOutput,
} from '@aws-sdk/client-kms';
import { callAws } from '../aws/aws-call.ts';
import type { AwsSettings } from '../aws/aws-clients.ts';
import { kmsClientFor } from '../aws/kms-client.ts';
import { ssmClientFor } from '../aws/ssm-client.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeMessage, safeText } from '../core/safe-text.ts';
import type { RecordTrust } from './deployment-history.ts';
import { keyPlace, publicKeyOf, type RecordKey, SIGNING_ALGORITHM } from './record-signature.ts';
import { publicKeySha256, type RecordsKeyPin } from './records-key-pin.ts';
import { anchorName, readAnchor } from './stage-anchor.ts';

/** The records key, or why there is none to check records against (one line). */
export type OpenedKey = { key: RecordKey } | { problem: string };

/**
 * A pinned records key that is not what the pin says: another key behind the ARN, a public key
 * that does not match, or no key at all. Nothing is trusted, signed or written: exit 2.
 */
export class RecordsKeyPinError extends CouldNotJudgeError {
  override name = 'RecordsKeyPinError';
}

/** The key's ARN, from DescribeKey. */
async function keyArn(kms: KMSClient, keyId: string, deadline: Deadline): Promise<string> {
  const described = await callAws<DescribeKeyCommandOutput>(
    kms,
    new DescribeKeyCommand({ KeyId: keyId }),
    {
      what: `describing records key ${safeText(keyId, 120)}`,
      deadline,
      needs: 'kms:DescribeKey on the records key',
    },
  );
  return described.KeyMetadata?.Arn ?? '';
}

/**
 * Reads a records key's public key once (`keyId`: an ARN; at setup, an alias): its ARN, account,
 * region, public key and fingerprint. Signing goes to KMS per record, under `deadline`. A key
 * that is not ECC_NIST_P256 / SIGN_VERIFY is refused.
 */
export async function readRecordsKey(
  kms: KMSClient,
  keyId: string,
  deadline: Deadline,
): Promise<{ key: RecordKey; publicKeySha256: string } | { problem: string }> {
  const name = safeText(keyId, 120);
  try {
    const answer = await callAws<GetPublicKeyCommandOutput>(
      kms,
      new GetPublicKeyCommand({ KeyId: keyId }),
      {
        what: `reading the public key of records key ${name}`,
        deadline,
        needs: 'kms:GetPublicKey on the records key',
      },
    );
    // The ARN (KMS answers GetPublicKey with the ARN; stand-ins may give the bare id).
    const arn =
      keyPlace(answer.KeyId ?? '') === undefined
        ? await keyArn(kms, keyId, deadline)
        : (answer.KeyId ?? '');
    const place = keyPlace(arn);
    const spec = answer.KeySpec ?? answer.CustomerMasterKeySpec;
    if (
      place === undefined ||
      answer.PublicKey === undefined ||
      answer.KeyUsage !== 'SIGN_VERIFY' ||
      spec !== 'ECC_NIST_P256'
    ) {
      return { problem: `records key ${name} is not an ECC_NIST_P256 SIGN_VERIFY key` };
    }
    const publicKey = publicKeyOf(answer.PublicKey);
    const sign = async (payload: Uint8Array) => {
      const signed = await callAws<SignCommandOutput>(
        kms,
        new SignCommand({
          KeyId: arn,
          Message: payload,
          MessageType: 'RAW',
          SigningAlgorithm: SIGNING_ALGORITHM,
        }),
        { what: `signing a record with ${name}`, deadline, needs: 'kms:Sign on the records key' },
      );
      if (signed.Signature === undefined) throw new Error('KMS returned no signature');
      return signed.Signature;
    };
    const fingerprint = publicKeySha256(answer.PublicKey);
    return { key: { arn, ...place, publicKey, sign }, publicKeySha256: fingerprint };
  } catch (error) {
    return { problem: `records key ${name} could not be read: ${safeMessage(error, 200)}` };
  }
}

/**
 * Opens the pinned records key: by its ARN only, its public key checked against the pin. Throws
 * RecordsKeyPinError (one line naming both) when the key is missing, unreadable or not the pinned
 * one.
 */
export async function openPinnedKey(
  kms: KMSClient,
  pin: RecordsKeyPin,
  deadline: Deadline,
): Promise<RecordKey> {
  const read = await readRecordsKey(kms, pin.arn, deadline);
  if ('problem' in read) {
    throw new RecordsKeyPinError(
      `the pinned records key cannot be checked, so nothing is trusted or written: ${read.problem}`,
    );
  }
  if (read.key.arn !== pin.arn || read.publicKeySha256 !== pin.publicKeySha256) {
    throw new RecordsKeyPinError(
      `the records key is not the pinned one, so nothing is trusted or written: ${read.key.arn} has public key sha256 ${read.publicKeySha256}; the pin is ${pin.arn} with ${pin.publicKeySha256}`,
    );
  }
  return read.key;
}

/** Why records are unsigned and untrusted when no key is pinned. */
export const NO_PIN = 'no records key pinned (custom.smokeTest.recordsKey: docs/signed-records.md)';

/**
 * What records are checked against: the pinned records key, opened once; without a pin, none
 * (records are written unsigned, and said so). A pin that does not hold throws
 * RecordsKeyPinError.
 */
export async function recordTrust(
  aws: AwsSettings,
  pin: RecordsKeyPin | undefined,
  stage: { service: string; stage: string },
  deadline: Deadline,
): Promise<RecordTrust> {
  if (pin === undefined) return { key: undefined, keyProblem: NO_PIN, ...stage };
  const key = await openPinnedKey(kmsClientFor(aws), pin, deadline);
  const scope = { ...stage, account: key.account, region: key.region };
  const name = anchorName(stage.service, stage.stage);
  const state = await readAnchor(ssmClientFor(aws), name, { key, scope }, deadline);
  return { key, keyProblem: '', ...stage, anchor: { state, name } };
}
