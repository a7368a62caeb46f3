import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import {
  keyPlace,
  publicKeyOf,
  type RecordKey,
  recordsKeyAlias,
  signedParts,
  signRecord,
  untrustedBecause,
} from '../../../../packages/smoke-gate/src/deployments/record-signature.ts';
import { DEV_SCOPE, KEY_ARN, keyPair, signedRecord } from '../../../helpers/records-key.ts';

const DIR = '1795435800000-2026-11-23T12:10:00.000Z';
const record: DeploymentRecord = {
  schema: 1,
  deployment: DIR,
  verdict: 'verified',
  at: '2026-11-23T12:10:40.000Z',
  commit: 'abc123',
  version: '1.0.0',
  ci: null,
  artifacts: { 'health.zip': { sha256: 'a'.repeat(64), versionId: 'v1' } },
  correlationId: 'smoke-1',
  rolledBackTo: null,
  note: null,
};

/** The records key as the gate opens it (public key from KMS's answer). */
const key: RecordKey = {
  arn: KEY_ARN,
  account: '123456789012',
  region: 'us-east-1',
  publicKey: publicKeyOf(keyPair.publicKey.export({ format: 'der', type: 'spki' })),
  sign: async () => new Uint8Array(),
};
const STAGE = { service: DEV_SCOPE.service, stage: DEV_SCOPE.stage };

describe('untrustedBecause: only a record the records key signed for this stage is trusted', () => {
  it('trusts a record signed for this service, stage, account and region', () => {
    expect(untrustedBecause(signedRecord(record, DEV_SCOPE), key, STAGE)).toBeUndefined();
  });

  it('does not trust an unsigned record (one written before signing, or by hand)', () => {
    expect(untrustedBecause(record, key, STAGE)).toBe('unsigned');
  });

  it.each([
    ['another stage', { ...DEV_SCOPE, stage: 'prod' }],
    ['another service', { ...DEV_SCOPE, service: 'orders' }],
    ['another account', { ...DEV_SCOPE, account: '210987654321' }],
    ['another region', { ...DEV_SCOPE, region: 'eu-west-1' }],
  ])('does not trust a record signed for %s', (_what, scope) => {
    expect(untrustedBecause(signedRecord(record, scope), key, STAGE)).toMatch(/^wrongly signed/);
  });

  it.each([
    ['relabelled verified from failed', { verdict: 'failed' as const }],
    ['moved to another deployment', { deployment: '1795435900000-2026-11-23T12:11:40.000Z' }],
    ['with another commit', { commit: 'evil' }],
    [
      'with other artifact hashes',
      { artifacts: { 'health.zip': { sha256: 'b'.repeat(64), versionId: 'v1' } } },
    ],
    [
      'with another object version',
      { artifacts: { 'health.zip': { sha256: 'a'.repeat(64), versionId: 'v2' } } },
    ],
    ['with another time', { at: '2026-11-24T12:10:40.000Z' }],
  ])('does not trust a signed record %s afterwards', (_what, change) => {
    // Prepare: signed as it was, then changed by someone with bucket write only.
    const tampered = { ...signedRecord(record, DEV_SCOPE), ...change };
    // Act, Assess
    expect(untrustedBecause(tampered, key, STAGE)).toMatch(/^wrongly signed/);
  });

  it('does not trust a record signed by another key, even one that names this key', () => {
    // Prepare: an attacker's own P-256 key, its signature labelled with this key's ARN.
    const attacker = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const forged = signedRecord(record, DEV_SCOPE, attacker.privateKey);
    // Act, Assess
    expect(untrustedBecause(forged, key, STAGE)).toMatch(/^wrongly signed/);
    expect(untrustedBecause(forged, { ...key, arn: `${KEY_ARN}-other` }, STAGE)).toBe(
      'signed by another key',
    );
  });

  it('cannot check a signed record without the key, and says why', () => {
    expect(
      untrustedBecause(signedRecord(record, DEV_SCOPE), undefined, STAGE, 'AccessDenied'),
    ).toBe('cannot be checked: AccessDenied');
  });
});

describe('signRecord', () => {
  it('signs through KMS with the key’s account and region in the scope', async () => {
    // Prepare: KMS's Sign as the deploy role gets it.
    const { sign } = await import('node:crypto');
    const signing = {
      ...key,
      sign: async (p: Uint8Array) => sign('sha256', p, keyPair.privateKey),
    };
    // Act
    const signed = await signRecord(record, signing, STAGE);
    // Assess
    expect(signed.scope).toStrictEqual(DEV_SCOPE);
    expect(signed.signature?.keyArn).toBe(KEY_ARN);
    expect(untrustedBecause(signed, key, STAGE)).toBeUndefined();
  });
});

describe('signedParts: a record’s scope and signature, shape-checked', () => {
  it('reads a record without either as unsigned', () => {
    expect(signedParts({})).toStrictEqual({ scope: null, signature: null });
  });

  it.each([
    ['a scope without a signature', { scope: DEV_SCOPE }],
    [
      'a key ARN that is not one',
      {
        scope: DEV_SCOPE,
        signature: { keyArn: 'x', algorithm: 'ECDSA_SHA_256', value: 'A'.repeat(40) },
      },
    ],
    [
      'another algorithm',
      {
        scope: DEV_SCOPE,
        signature: { keyArn: KEY_ARN, algorithm: 'RSASSA_PSS_SHA_256', value: 'A'.repeat(40) },
      },
    ],
    [
      'a signature that is not base64',
      {
        scope: DEV_SCOPE,
        signature: { keyArn: KEY_ARN, algorithm: 'ECDSA_SHA_256', value: '<script>' },
      },
    ],
    [
      'a scope part with a newline',
      {
        scope: { ...DEV_SCOPE, stage: 'dev\nprod' },
        signature: { keyArn: KEY_ARN, algorithm: 'ECDSA_SHA_256', value: 'A'.repeat(40) },
      },
    ],
  ])('refuses %s', (_what, value) => {
    expect(signedParts(value)).toBeUndefined();
  });
});

describe('the records key’s names', () => {
  it('reads the account and region of a key ARN, and nothing else', () => {
    expect(keyPlace(KEY_ARN)).toStrictEqual({ account: '123456789012', region: 'us-east-1' });
    expect(keyPlace('alias/petsage-smoke-test-smoke-records')).toBeUndefined();
  });

  it('names the default alias after the service', () => {
    expect(recordsKeyAlias('orders')).toBe('alias/orders-smoke-records');
  });
});
