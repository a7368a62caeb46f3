// A records key for unit tests: a real P-256 key pair, KMS's answers for it (GetPublicKey, Sign)
// on a mocked KMS client, and records signed with it exactly as the gate signs them.
import { generateKeyPairSync, sign } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { DeploymentRecord } from '../../packages/smoke-gate/src/deployments/deployment-record.ts';
import {
  type RecordScope,
  SIGNED_PAYLOAD,
  SIGNING_ALGORITHM,
  signedPayload,
} from '../../packages/smoke-gate/src/deployments/record-signature.ts';
import {
  publicKeySha256,
  type RecordsKeyPin,
} from '../../packages/smoke-gate/src/deployments/records-key-pin.ts';
import { anchorPayload } from '../../packages/smoke-gate/src/deployments/stage-anchor.ts';

export const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-test';

/** The key pair behind KEY_ARN (a fresh one per test file). */
export const keyPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/** The pin of KEY_ARN: its ARN and the sha256 of its public key, as serverless.yml writes it. */
export const KEY_PIN: RecordsKeyPin = {
  arn: KEY_ARN,
  publicKeySha256: publicKeySha256(keyPair.publicKey.export({ format: 'der', type: 'spki' })),
};

/**
 * Answers GetPublicKey and Sign for KEY_ARN on every KMSClient, as KMS does, and the stage's
 * anchor on every SSMClient: none yet, and every write taken.
 */
export function mockRecordsKey() {
  const kms = mockClient(KMSClient);
  const ssm = mockClient(SSMClient);
  const answer = () => {
    ssm.reset();
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('parameter not found'), { name: 'ParameterNotFound' }));
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    kms.on(GetPublicKeyCommand).resolves({
      KeyId: KEY_ARN,
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      PublicKey: new Uint8Array(keyPair.publicKey.export({ format: 'der', type: 'spki' })),
    });
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array }) => ({
      Signature: new Uint8Array(sign('sha256', Buffer.from(input.Message), keyPair.privateKey)),
    }));
  };
  answer();
  return { kms, ssm, answer };
}

/**
 * `record` signed for `scope` with the test key (or `privateKey`, an attacker's), over today's
 * payload, or over payload 1 as records were signed before 2026-12-07.
 */
export function signedRecord(
  record: DeploymentRecord,
  scope: RecordScope,
  privateKey = keyPair.privateKey,
  payload: 1 | typeof SIGNED_PAYLOAD = SIGNED_PAYLOAD,
): DeploymentRecord {
  const value = sign('sha256', Buffer.from(signedPayload(record, scope, payload)), privateKey);
  return {
    ...record,
    scope,
    signature: {
      keyArn: KEY_ARN,
      algorithm: SIGNING_ALGORITHM,
      value: value.toString('base64'),
      ...(payload === SIGNED_PAYLOAD ? { payload } : {}),
    },
  };
}

/** The scope of this service's dev stage in moto's account. */
export const DEV_SCOPE: RecordScope = {
  service: 'petsage-smoke-test',
  stage: 'dev',
  account: '123456789012',
  region: 'us-east-1',
};

/** The dev stage's anchor, signed with the test key, naming record `sequence` of `deployment`. */
export function signedAnchor(body: {
  sequence: number;
  deployment?: string;
  recordSha256?: string;
  at?: string;
}) {
  const full = {
    deployment: '1795435900000-2026-11-23T12:11:40.000Z',
    recordSha256: 'a'.repeat(64),
    at: '2026-11-23T12:11:50.000Z',
    ...body,
  };
  const signature = sign('sha256', anchorPayload(full, DEV_SCOPE), keyPair.privateKey);
  return { ...full, algorithm: SIGNING_ALGORITHM, signature: signature.toString('base64') };
}
