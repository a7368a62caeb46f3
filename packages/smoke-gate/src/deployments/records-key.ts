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
import type { Deadline } from '../core/deadline.ts';
import { safeMessage, safeText } from '../core/safe-text.ts';
import type { RecordTrust } from './deployment-history.ts';
import { keyPlace, publicKeyOf, type RecordKey, SIGNING_ALGORITHM } from './record-signature.ts';

/** The records key, or why there is none to check records against (one line). */
export type OpenedKey = { key: RecordKey } | { problem: string };

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
 * Opens the records key `keyId` (an alias, ARN or id): GetPublicKey once; signing goes to KMS
 * per record, under `deadline`. A key that is not ECC_NIST_P256 / SIGN_VERIFY is refused.
 */
export async function openRecordsKey(
  kms: KMSClient,
  keyId: string,
  deadline: Deadline,
): Promise<OpenedKey> {
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
    return { key: { arn, ...place, publicKey, sign } };
  } catch (error) {
    return { problem: `records key ${name} could not be read: ${safeMessage(error, 200)}` };
  }
}

/** What records are checked against: the records key opened once, or why it could not be. */
export async function recordTrust(
  aws: AwsSettings,
  keyId: string,
  stage: { service: string; stage: string },
  deadline: Deadline,
): Promise<RecordTrust> {
  const opened = await openRecordsKey(kmsClientFor(aws), keyId, deadline);
  return 'key' in opened
    ? { key: opened.key, keyProblem: '', ...stage }
    : { key: undefined, keyProblem: opened.problem, ...stage };
}
