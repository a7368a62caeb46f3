import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import {
  keyPlace,
  publicKeyOf,
  type RecordKey,
  recordsKeyAlias,
  recordsKeyOf,
  signedParts,
  signedPayload,
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

describe('signed means all of it (payload 2)', () => {
  const forced = {
    ...record,
    sequence: 3,
    verdict: 'restored' as const,
    ci: { server: 'https://github.com', repository: 'o/r', runId: '9' },
    note: 'forced (--force) past its recorded verdict',
  };

  it.each([
    ['an edited note (the forced flag dropped)', { note: null }],
    ['another CI run', { ci: { server: 'https://github.com', repository: 'o/r', runId: '10' } }],
    ['another correlation id', { correlationId: 'smoke-2' }],
    ['another sequence number', { sequence: 1 }],
  ])('does not trust a copy with %s', (_what, change) => {
    // Prepare
    const copy = { ...signedRecord(forced, DEV_SCOPE), ...change };
    // Act
    const why = untrustedBecause(copy, key, STAGE);
    // Assess
    expect(why).toMatch(/^wrongly signed/);
  });

  it('still trusts a record signed before, over payload 1, and what payload 1 covered holds', () => {
    // Prepare
    const old = signedRecord(forced, DEV_SCOPE, keyPair.privateKey, 1);
    // Act
    const trusted = untrustedBecause(old, key, STAGE);
    const altered = untrustedBecause({ ...old, verdict: 'verified' }, key, STAGE);
    // Assess
    expect(old.signature).not.toHaveProperty('payload');
    expect(trusted).toBeUndefined();
    expect(altered).toMatch(/^wrongly signed/);
  });

  it('does not trust a payload 2 signature claimed as payload 1', () => {
    // Prepare
    const signed = signedRecord(forced, DEV_SCOPE);
    const { payload: _dropped, ...claimedOld } = signed.signature ?? {};
    // Act
    const why = untrustedBecause({ ...signed, signature: claimedOld as never }, key, STAGE);
    // Assess
    expect(why).toMatch(/^wrongly signed/);
  });

  it('signs every new record over payload 3, and says so', async () => {
    // Prepare
    const signer = { ...key, sign: async () => new Uint8Array([1, 2, 3]) };
    // Act
    const signed = await signRecord(forced, signer, STAGE);
    // Assess
    expect(signed.signature?.payload).toBe(3);
  });
});

describe('what a signature covers, exactly', () => {
  it('is one JSON array in a fixed order, the artifacts sorted by name', () => {
    // Prepare: the artifacts given out of order.
    const twoArtifacts = {
      ...record,
      ci: { server: 'https://github.com', repository: 'o/r', runId: '9' },
      note: 'forced (--force) past its recorded verdict',
      sequence: 7,
      functionVersion: { number: '12', codeSha256: `${'A'.repeat(43)}=` },
      artifacts: {
        'health.zip': { sha256: 'a'.repeat(64), versionId: 'v1' },
        'compiled-cloudformation-template.json': { sha256: 'b'.repeat(64), versionId: null },
      },
    };
    // Act
    const payload = Buffer.from(signedPayload(twoArtifacts, DEV_SCOPE)).toString('utf8');
    // Assess
    expect(JSON.parse(payload)).toStrictEqual([
      'petsage-smoke-record/3',
      'petsage-smoke-test',
      'dev',
      '123456789012',
      'us-east-1',
      DIR,
      'abc123',
      '1.0.0',
      [
        ['compiled-cloudformation-template.json', 'b'.repeat(64), null],
        ['health.zip', 'a'.repeat(64), 'v1'],
      ],
      'verified',
      '2026-11-23T12:10:40.000Z',
      null,
      ['https://github.com', 'o/r', '9'],
      'forced (--force) past its recorded verdict',
      'smoke-1',
      7,
      ['12', `${'A'.repeat(43)}=`],
    ]);
  });

  it('was, in payload 2, all of it but the function version', () => {
    // Act
    const payload = JSON.parse(
      Buffer.from(
        signedPayload(
          { ...record, functionVersion: { number: '1', codeSha256: 'x' } },
          DEV_SCOPE,
          2,
        ),
      ).toString('utf8'),
    );
    // Assess
    expect(payload[0]).toBe('petsage-smoke-record/2');
    expect(payload).toHaveLength(16);
    expect(JSON.stringify(payload)).not.toContain('"x"');
  });

  it('covers the function version: a record moved to another version is wrongly signed', () => {
    // Prepare
    const signed = signedRecord(
      { ...record, functionVersion: { number: '4', codeSha256: `${'A'.repeat(43)}=` } },
      DEV_SCOPE,
    );
    // Act
    const moved = { ...signed, functionVersion: { number: '5', codeSha256: `${'A'.repeat(43)}=` } };
    // Assess
    expect(untrustedBecause(signed, key, STAGE)).toBeUndefined();
    expect(untrustedBecause(moved, key, STAGE)).toMatch(/^wrongly signed/);
  });

  it('was, in payload 1, the fields a rollback relies on only', () => {
    // Act
    const payload = Buffer.from(signedPayload(record, DEV_SCOPE, 1)).toString('utf8');
    // Assess
    expect(JSON.parse(payload)).toStrictEqual([
      'petsage-smoke-record/1',
      'petsage-smoke-test',
      'dev',
      '123456789012',
      'us-east-1',
      DIR,
      'abc123',
      '1.0.0',
      [['health.zip', 'a'.repeat(64), 'v1']],
      'verified',
      '2026-11-23T12:10:40.000Z',
      null,
    ]);
  });

  it('does not depend on the order the artifacts were written in', () => {
    // Prepare
    const ab = {
      ...record,
      artifacts: {
        a: { sha256: 'a'.repeat(64), versionId: null },
        b: { sha256: 'b'.repeat(64), versionId: null },
      },
    };
    const ba = { ...record, artifacts: { b: ab.artifacts.b, a: ab.artifacts.a } };
    // Act, Assess: signed in one order, checked in the other.
    expect(
      untrustedBecause({ ...signedRecord(ab, DEV_SCOPE), artifacts: ba.artifacts }, key, STAGE),
    ).toBeUndefined();
  });

  it('is not trusted when the signature is not a signature at all', () => {
    const garbage = { ...signedRecord(record, DEV_SCOPE) };
    garbage.signature = {
      ...(garbage.signature as NonNullable<typeof garbage.signature>),
      value: 'A'.repeat(40),
    };
    expect(untrustedBecause(garbage, key, STAGE)).toMatch(/^wrongly signed/);
  });

  it('says there is no records key when none could be opened and no reason was given', () => {
    expect(untrustedBecause(signedRecord(record, DEV_SCOPE), undefined, STAGE)).toBe(
      'cannot be checked: no records key',
    );
  });
});

describe('signedParts keeps exactly the four scope parts and the signature', () => {
  const signature = { keyArn: KEY_ARN, algorithm: 'ECDSA_SHA_256', value: 'A'.repeat(40) };

  it('keeps the payload a signature says it covers', () => {
    expect(
      signedParts({ scope: DEV_SCOPE, signature: { ...signature, payload: 2 } }),
    ).toStrictEqual({
      scope: DEV_SCOPE,
      signature: { ...signature, payload: 2 },
    });
  });

  it('reads a signed record’s parts, dropping anything else in its scope', () => {
    expect(
      signedParts({ scope: { ...DEV_SCOPE, extra: 'x' }, signature: { ...signature, extra: 1 } }),
    ).toStrictEqual({
      scope: DEV_SCOPE,
      signature,
    });
  });

  it.each([
    ['a key ARN that is not text', { ...signature, keyArn: 7 }],
    ['a signature value that is not text', { ...signature, value: 7 }],
    ['junk before the signature', { ...signature, value: `<${'A'.repeat(40)}` }],
    ['junk after the signature', { ...signature, value: `${'A'.repeat(40)}<` }],
    ['a payload the gate does not know', { ...signature, payload: 4 }],
    ['a payload named as text', { ...signature, payload: '2' }],
  ])('refuses %s', (_what, bad) => {
    expect(signedParts({ scope: DEV_SCOPE, signature: bad })).toBeUndefined();
  });
});

describe('keyPlace refuses anything but a key ARN', () => {
  it.each([
    `x${KEY_ARN}`,
    `${KEY_ARN}/extra`,
    'arn:aws1:kms:us-east-1:123456789012:key/abc',
    'arn:aws:kms:us-east-1:12345678901:key/abc',
  ])('%s', (arn) => {
    expect(keyPlace(arn)).toBeUndefined();
  });

  it('reads another partition', () => {
    expect(keyPlace('arn:aws-cn:kms:cn-north-1:123456789012:key/abc')).toStrictEqual({
      account: '123456789012',
      region: 'cn-north-1',
    });
  });
});

describe('recordsKeyOf', () => {
  it('takes the key the service names', () => {
    expect(recordsKeyOf('alias/shared-records', 'orders')).toBe('alias/shared-records');
  });

  it.each([undefined, '', 7])('falls back to the service’s alias when it names %j', (named) => {
    expect(recordsKeyOf(named, 'orders')).toBe('alias/orders-smoke-records');
  });
});
