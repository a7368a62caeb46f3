import { describe, expect, it } from 'vitest';
import {
  publicKeySha256,
  readRecordsKeyPin,
} from '../../../../packages/smoke-gate/src/deployments/records-key-pin.ts';
import { KEY_ARN, KEY_PIN, keyPair } from '../../../helpers/records-key.ts';

const WHERE = 'custom.smokeTest.recordsKey';
const FORM = `${WHERE} must be { arn: <the records key's ARN>, publicKeySha256: <64 hex characters> } (npx smoke-gate records-key prints it)`;

describe('readRecordsKeyPin', () => {
  it('reads a pin: the key’s ARN and the sha256 of its public key', () => {
    expect(readRecordsKeyPin({ ...KEY_PIN }, WHERE)).toStrictEqual(KEY_PIN);
  });

  it.each([undefined, null])('reads %s as no pin', (value) => {
    expect(readRecordsKeyPin(value, WHERE)).toBeUndefined();
  });

  it.each([
    ['an alias', 'alias/orders-smoke-records', `${FORM}, not "alias/orders-smoke-records"`],
    ['a key ARN as text', KEY_ARN, `${FORM}, not "${KEY_ARN}"`],
    [
      'an alias ARN in arn',
      { ...KEY_PIN, arn: 'arn:aws:kms:us-east-1:123456789012:alias/x' },
      `${FORM}: arn "arn:aws:kms:us-east-1:123456789012:alias/x" is not a KMS key ARN`,
    ],
    [
      'an upper-case fingerprint',
      { ...KEY_PIN, publicKeySha256: 'A'.repeat(64) },
      `${FORM}: publicKeySha256 "${'A'.repeat(64)}" is not 64 lowercase hex characters`,
    ],
    [
      'a short fingerprint',
      { ...KEY_PIN, publicKeySha256: 'a'.repeat(63) },
      `${FORM}: publicKeySha256 "${'a'.repeat(63)}" is not 64 lowercase hex characters`,
    ],
    [
      'no fingerprint',
      { arn: KEY_ARN },
      `${FORM}: publicKeySha256 undefined is not 64 lowercase hex characters`,
    ],
    ['a key it does not know', { ...KEY_PIN, alias: 'x' }, `${FORM}: unknown key "alias"`],
  ])('refuses %s in one line', (_what, value, line) => {
    // Act
    const read = readRecordsKeyPin(value, WHERE);
    // Assess
    expect(read).toBeInstanceOf(Error);
    expect((read as Error).message).toBe(line);
  });
});

describe('publicKeySha256', () => {
  it('is the sha256 of the DER SubjectPublicKeyInfo, as `openssl pkey -pubin -outform DER | sha256sum` prints it', () => {
    // Prepare
    const der = keyPair.publicKey.export({ format: 'der', type: 'spki' });
    // Act
    const fingerprint = publicKeySha256(der);
    // Assess
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint).toBe(KEY_PIN.publicKeySha256);
    expect(publicKeySha256(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
