import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_DIR } from '../../../../../harness/project/project.ts';
import {
  keyIdOf,
  pinInServiceFile,
  setUpRecordsKey,
  withPin,
} from '../../../../../packages/smoke-gate/src/cli/init/records-key-setup.ts';
import { createDeadline } from '../../../../../packages/smoke-gate/src/core/deadline.ts';
import { KEY_ARN, KEY_PIN, mockRecordsKey } from '../../../../helpers/records-key.ts';

const PIN = {
  arn: 'arn:aws:kms:eu-central-1:210987654321:key/0b5c3f0e-7d1a-4c1e-9a43-2f6f0c1d9e21',
  publicKeySha256: 'a'.repeat(64),
};

const pinned = (text: string) => parse(text, { logLevel: 'silent' }).custom.smokeTest.recordsKey;

describe('withPin', () => {
  it('adds the pin under custom.smokeTest, every other line as it was', async () => {
    // Prepare
    const text = await readFile(
      join(PROJECT_DIR, 'examples/plain-js-service/serverless.yml'),
      'utf8',
    );
    // Act
    const next = withPin(text, PIN);
    // Assess
    expect(pinned(next)).toStrictEqual(PIN);
    const added = next.split('\n').filter((line) => !text.split('\n').includes(line));
    expect(added).toStrictEqual([
      '    recordsKey:',
      `      arn: ${PIN.arn}`,
      `      publicKeySha256: ${PIN.publicKeySha256}`,
    ]);
  });

  it.each([
    ['service: a\n', 'no custom:'],
    ['service: a\ncustom:\n  other: 1\nplugins: []\n', 'custom: without smokeTest'],
    ['service: a\ncustom:\n    smokeTest: # the gate\n        timeout: 60\n', 'deeper indents'],
  ])('places it in %j (%s)', (text) => {
    expect(pinned(withPin(text, PIN))).toStrictEqual(PIN);
  });
});

describe('pinInServiceFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'init-pin-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('pins once, says so again, and refuses a file that pins another key', async () => {
    // Prepare
    await writeFile(
      join(dir, 'serverless.yml'),
      'service: a\ncustom:\n  smokeTest:\n    timeout: 60\n',
    );
    // Act
    const first = await pinInServiceFile(dir, 'serverless.yml', PIN);
    const again = await pinInServiceFile(dir, 'serverless.yml', PIN);
    const other = pinInServiceFile(dir, 'serverless.yml', {
      ...PIN,
      publicKeySha256: 'b'.repeat(64),
    });
    // Assess
    expect([first, again]).toStrictEqual(['pinned', 'already pinned']);
    await expect(other).rejects.toThrow(
      `serverless.yml already pins another records key (custom.smokeTest.recordsKey): remove it to pin ${PIN.arn}`,
    );
    expect(pinned(await readFile(join(dir, 'serverless.yml'), 'utf8'))).toStrictEqual(PIN);
  });
});

describe('keyIdOf', () => {
  it('is the id at the end of a key ARN', () => {
    expect(keyIdOf(PIN.arn)).toBe('0b5c3f0e-7d1a-4c1e-9a43-2f6f0c1d9e21');
  });
});

describe('setUpRecordsKey', () => {
  const mocked = mockRecordsKey();
  afterEach(() => mocked.answer());
  const setUp = () =>
    setUpRecordsKey(new KMSClient({ region: 'us-east-1' }), {
      service: 'orders',
      policy: '{"Version":"2012-10-17","Statement":[]}',
      deadline: createDeadline(Date.now() + 10_000),
    });

  it('takes the key its alias already names, making nothing', async () => {
    // Act
    const key = await setUp();
    // Assess
    expect(key).toStrictEqual({ pin: KEY_PIN, keyId: '0a1b2c3d-test', created: false });
    expect(mocked.kms.commandCalls(GetPublicKeyCommand)[0]?.args[0].input).toStrictEqual({
      KeyId: 'alias/orders-smoke-records',
    });
    expect(mocked.kms.commandCalls(CreateKeyCommand)).toHaveLength(0);
  });

  it('makes a P-256 signing key with the written policy, names it, and pins what it made', async () => {
    // Prepare: no key behind the alias until CreateAlias names it (then KMS answers for it again).
    mocked.kms
      .on(GetPublicKeyCommand)
      .rejects(Object.assign(new Error('alias not found'), { name: 'NotFoundException' }));
    mocked.kms.on(CreateKeyCommand).resolves({ KeyMetadata: { KeyId: '0a1b2c3d-test' } as never });
    mocked.kms.on(CreateAliasCommand).callsFake(() => {
      mocked.answer();
      return {};
    });
    // Act
    const key = await setUp();
    // Assess
    expect(key).toStrictEqual({ pin: KEY_PIN, keyId: '0a1b2c3d-test', created: true });
    expect(mocked.kms.commandCalls(CreateKeyCommand)[0]?.args[0].input).toStrictEqual({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      Description: "orders: signs the smoke gate's deployment records",
      Policy: '{"Version":"2012-10-17","Statement":[]}',
    });
    expect(mocked.kms.commandCalls(CreateAliasCommand)[0]?.args[0].input).toStrictEqual({
      AliasName: 'alias/orders-smoke-records',
      TargetKeyId: '0a1b2c3d-test',
    });
  });
});
