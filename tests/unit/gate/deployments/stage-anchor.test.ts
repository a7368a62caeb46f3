import { generateKeyPairSync, sign } from 'node:crypto';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { publicKeyOf } from '../../../../packages/smoke-gate/src/deployments/record-signature.ts';
import {
  type AnchorBody,
  anchorName,
  anchorPayload,
  readAnchor,
  recordSha256,
  rewoundBecause,
  writeAnchor,
} from '../../../../packages/smoke-gate/src/deployments/stage-anchor.ts';
import { DEV_SCOPE, KEY_ARN, keyPair, mockRecordsKey } from '../../../helpers/records-key.ts';

const { ssm, answer } = mockRecordsKey();
afterEach(answer);

const NAME = anchorName('petsage-smoke-test', 'dev');
const DIR = '1795435800000-2026-11-23T12:10:00.000Z';
const BODY: AnchorBody = {
  sequence: 4,
  deployment: DIR,
  recordSha256: recordSha256('{"schema":1}'),
  at: '2026-11-23T12:10:30.000Z',
};
const key = {
  arn: KEY_ARN,
  account: DEV_SCOPE.account,
  region: DEV_SCOPE.region,
  publicKey: publicKeyOf(keyPair.publicKey.export({ format: 'der', type: 'spki' })),
  sign: async (payload: Uint8Array) => new Uint8Array(sign('sha256', payload, keyPair.privateKey)),
};
const check = { key, scope: DEV_SCOPE };
const deadline = () => createDeadline(Date.now() + 10_000);
const client = () => new SSMClient({ region: 'us-east-1' });

/** The parameter holds `value`. */
const holds = (value: string) =>
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: value } });
const signedValue = (body: AnchorBody, privateKey = keyPair.privateKey) =>
  JSON.stringify({
    ...body,
    algorithm: 'ECDSA_SHA_256',
    signature: sign('sha256', anchorPayload(body, DEV_SCOPE), privateKey).toString('base64'),
  });

describe('the stage’s anchor', () => {
  it('lives under the service’s own path, one per stage', () => {
    expect(NAME).toBe('/petsage-smoke-test/smoke-gate/dev/anchor');
  });

  it('is none before the first anchored record', async () => {
    expect(await readAnchor(client(), NAME, check, deadline())).toStrictEqual({ kind: 'none' });
  });

  it('writes the body signed by the records key, overwriting the last, and reads it back', async () => {
    // Act
    await writeAnchor(client(), NAME, BODY, check, deadline());
    const input = ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    holds(String(input?.Value));
    const read = await readAnchor(client(), NAME, check, deadline());
    // Assess
    expect(input).toMatchObject({ Name: NAME, Type: 'String', Overwrite: true });
    expect(read).toStrictEqual({ kind: 'anchored', ...BODY });
  });

  it('is untrusted when another key signed it', async () => {
    // Prepare
    holds(signedValue(BODY, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey));
    // Act
    const read = await readAnchor(client(), NAME, check, deadline());
    // Assess
    expect(read).toStrictEqual({
      kind: 'untrusted',
      why: `the stage's anchor ${NAME} is not signed by the records key for this stage`,
    });
  });

  it.each([
    [
      'a body changed after signing',
      JSON.stringify({ ...JSON.parse(signedValue(BODY)), sequence: 9 }),
    ],
    ['no signature', JSON.stringify(BODY)],
  ])('is untrusted with %s', async (_what, value) => {
    // Prepare
    holds(value);
    // Act
    const read = await readAnchor(client(), NAME, check, deadline());
    // Assess
    expect(read).toMatchObject({ kind: 'untrusted', why: expect.stringContaining('not signed') });
  });

  it.each([
    ['not JSON', 'x'],
    ['a sequence that is not a whole number from 1', JSON.stringify({ ...BODY, sequence: 0 })],
    ['another shape of hash', JSON.stringify({ ...BODY, recordSha256: 'abc' })],
    ['longer than an anchor can be', JSON.stringify({ ...BODY, pad: 'x'.repeat(5000) })],
  ])('is untrusted when it is %s', async (_what, value) => {
    // Prepare
    holds(value);
    // Act
    const read = await readAnchor(client(), NAME, check, deadline());
    // Assess
    expect(read).toStrictEqual({
      kind: 'untrusted',
      why: `the stage's anchor ${NAME} is not one the gate wrote`,
    });
  });

  it.each([
    ['a deployment that is not a folder name', { deployment: `x${DIR}` }],
    ['a deployment with a tail', { deployment: `${DIR}/x` }],
    ['a hash with a head', { recordSha256: `b${'a'.repeat(64)}` }],
    ['a hash with a tail', { recordSha256: `${'a'.repeat(64)}b` }],
    ['a time longer than a time', { at: `${'9'.repeat(41)}` }],
    ['a sequence that is text', { sequence: '4' }],
  ])('is not the gate’s when it holds %s, even signed by the key', async (_what, change) => {
    // Prepare
    holds(signedValue({ ...BODY, ...change } as AnchorBody));
    // Act
    const read = await readAnchor(client(), NAME, check, deadline());
    // Assess
    expect(read).toStrictEqual({
      kind: 'untrusted',
      why: `the stage's anchor ${NAME} is not one the gate wrote`,
    });
  });

  it('reads a time of 40 characters, and an anchor up to 4096 characters long', async () => {
    // Prepare
    const body = { ...BODY, at: `${'9'.repeat(40)}` };
    const value = signedValue(body);
    holds(JSON.stringify({ ...JSON.parse(value), pad: 'x'.repeat(4096 - value.length - 10) }));
    // Act
    const read = await readAnchor(client(), NAME, check, deadline());
    // Assess
    expect(read).toStrictEqual({ kind: 'anchored', ...body });
  });

  it('is not the gate’s when the parameter holds no value', async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME } });
    // Act
    const read = await readAnchor(client(), NAME, check, deadline());
    // Assess
    expect(read).toMatchObject({ kind: 'untrusted' });
  });

  it('asks SSM for the anchor by its name', async () => {
    // Act
    await readAnchor(client(), NAME, check, deadline());
    // Assess
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toStrictEqual({ Name: NAME });
  });

  it('cannot be read without ssm:GetParameter: one line naming it', async () => {
    // Prepare
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const read = readAnchor(client(), NAME, check, deadline());
    // Assess
    await expect(read).rejects.toThrow(/It needs ssm:GetParameter on it\.$/);
  });
});

describe('rewoundBecause', () => {
  const seen = [{ deployment: DIR, sequence: 4, sha256: BODY.recordSha256 }];

  it('finds nothing wrong when the anchored record is in the bucket, or there is no anchor and nothing anchored', () => {
    expect(rewoundBecause({ kind: 'anchored', ...BODY }, seen)).toBeUndefined();
    expect(rewoundBecause({ kind: 'none' }, [])).toBeUndefined();
  });

  it.each([
    ['its newest record was deleted', []],
    ['its newest record was put back to an older one', [{ ...seen[0], sha256: 'a'.repeat(64) }]],
    ['only an older record remains', [{ ...seen[0], sequence: 3 }]],
  ])('calls the stage rewound when %s', (_what, left) => {
    expect(rewoundBecause({ kind: 'anchored', ...BODY }, left as never)).toBe(
      `its newest record (#4, deployment ${DIR}, per the stage's anchor) is no longer in the bucket: a record was deleted or put back`,
    );
  });

  it('calls the stage rewound when its anchor is gone but its records were anchored', () => {
    expect(rewoundBecause({ kind: 'none' }, [...seen, { ...seen[0], sequence: 2 }] as never)).toBe(
      "the stage's anchor is gone, but its records were anchored up to #4",
    );
  });

  it('calls the stage rewound when its anchor is not the gate’s', () => {
    expect(rewoundBecause({ kind: 'untrusted', why: 'not signed' }, seen)).toBe('not signed');
  });
});
