// The stage's anchor outside the bucket: an SSM parameter the deploy role writes after each
// record, naming the stage's newest record (its sequence number, deployment and sha256), signed
// with the records key. Whoever can only write to the bucket can delete or re-put records, but
// not move the anchor: a bucket older than its anchor is a stage `untrusted (rewound)`.
import { createHash, verify } from 'node:crypto';
import {
  GetParameterCommand,
  type GetParameterCommandOutput,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { callAws } from '../aws/aws-call.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { parseJsonObject } from '../core/json.ts';
import { isSequence } from './deployment-record.ts';
import { type RecordKey, type RecordScope, SIGNING_ALGORITHM } from './record-signature.ts';

/** Where a stage's anchor lives: one parameter per service and stage, under the service's path. */
export const anchorName = (service: string, stage: string): string =>
  `/${service}/smoke-gate/${stage}/anchor`;

/** What the anchor says: the stage's newest record. */
export interface AnchorBody {
  sequence: number;
  deployment: string;
  recordSha256: string;
  at: string;
}

/** The anchor as read: none yet, one that holds, or one that does not (with why). */
export type AnchorState =
  | { kind: 'none' }
  | ({ kind: 'anchored' } & AnchorBody)
  | { kind: 'untrusted'; why: string };

/** The sha256 (hex) of a record's bytes as stored: what the anchor names. */
export const recordSha256 = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/** The bytes an anchor's signature covers. */
export const anchorPayload = (body: AnchorBody, scope: RecordScope): Uint8Array =>
  Buffer.from(
    JSON.stringify([
      'petsage-smoke-anchor/1',
      scope.service,
      scope.stage,
      scope.account,
      scope.region,
      body.sequence,
      body.deployment,
      body.recordSha256,
      body.at,
    ]),
  );

/** An anchor is a few hundred bytes; SSM's standard tier takes 4 KB. */
const ANCHOR_MAX_CHARS = 4096;

/**
 * Reads the stage's anchor and checks it with the records key: `none` when the parameter does not
 * exist, `untrusted` (with why) when it is not one the key signed for this stage.
 */
export async function readAnchor(
  ssm: SSMClient,
  name: string,
  check: { key: RecordKey; scope: RecordScope },
  deadline: Deadline,
): Promise<AnchorState> {
  const missing = new CouldNotJudgeError('no anchor');
  let value: string | undefined;
  try {
    const answer = await callAws<GetParameterCommandOutput>(
      ssm,
      new GetParameterCommand({ Name: name }),
      {
        what: `reading the stage's anchor ${name}`,
        deadline,
        needs: 'ssm:GetParameter on it',
        explain: (error) =>
          (error as { name?: string }).name === 'ParameterNotFound' ? missing : undefined,
      },
    );
    value = answer.Parameter?.Value;
  } catch (error) {
    if (error === missing) return { kind: 'none' };
    throw error;
  }
  const parsed =
    value !== undefined && value.length <= ANCHOR_MAX_CHARS ? parseJsonObject(value) : undefined;
  const body = parsed === undefined ? undefined : anchorBodyOf(parsed);
  if (parsed === undefined || body === undefined) {
    return { kind: 'untrusted', why: `the stage's anchor ${name} is not one the gate wrote` };
  }
  const signature = parsed.signature;
  if (
    typeof signature !== 'string' ||
    !signedBy(check.key, anchorPayload(body, check.scope), signature)
  ) {
    return {
      kind: 'untrusted',
      why: `the stage's anchor ${name} is not signed by the records key for this stage`,
    };
  }
  return { kind: 'anchored', ...body };
}

/** Whether `signature` (base64 DER) is the key's over `payload`. */
function signedBy(key: RecordKey, payload: Uint8Array, signature: string): boolean {
  try {
    return verify('sha256', payload, key.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The anchor's fields, shape-checked, or undefined. */
function anchorBodyOf(value: Record<string, unknown>): AnchorBody | undefined {
  const { sequence, deployment, recordSha256: sha, at } = value;
  if (
    !isSequence(sequence) ||
    typeof deployment !== 'string' ||
    !/^\d{13}-[\dTZ:.-]{1,40}$/.test(deployment) ||
    typeof sha !== 'string' ||
    !/^[0-9a-f]{64}$/.test(sha) ||
    typeof at !== 'string' ||
    at.length > 40
  ) {
    return undefined;
  }
  return { sequence, deployment, recordSha256: sha, at };
}

/** Writes the stage's anchor, signed: the deploy role's right alone (its policy names the path). */
export async function writeAnchor(
  ssm: SSMClient,
  name: string,
  body: AnchorBody,
  sign: { key: RecordKey; scope: RecordScope },
  deadline: Deadline,
): Promise<void> {
  const signature = Buffer.from(await sign.key.sign(anchorPayload(body, sign.scope))).toString(
    'base64',
  );
  await callAws(
    ssm,
    new PutParameterCommand({
      Name: name,
      Type: 'String',
      Overwrite: true,
      Value: JSON.stringify({ ...body, algorithm: SIGNING_ALGORITHM, signature }),
    }),
    { what: `writing the stage's anchor ${name}`, deadline, needs: 'ssm:PutParameter on it' },
  );
}

/** One trusted record version as the anchor check sees it. */
export interface AnchoredRead {
  deployment: string;
  sequence: number;
  sha256: string;
}

/**
 * Why the stage's records are `untrusted (rewound)`, or undefined: an anchor that is not the
 * gate's, an anchor gone while records were anchored, or an anchored record no longer in the
 * bucket (a version deleted, or the record put back to an older one).
 */
export function rewoundBecause(anchor: AnchorState, seen: AnchoredRead[]): string | undefined {
  if (anchor.kind === 'untrusted') return anchor.why;
  if (anchor.kind === 'none') {
    const newest = Math.max(0, ...seen.map((read) => read.sequence));
    return newest === 0
      ? undefined
      : `the stage's anchor is gone, but its records were anchored up to #${newest}`;
  }
  const found = seen.some(
    (read) =>
      read.sequence === anchor.sequence &&
      read.deployment === anchor.deployment &&
      read.sha256 === anchor.recordSha256,
  );
  return found
    ? undefined
    : `its newest record (#${anchor.sequence}, deployment ${anchor.deployment}, per the stage's anchor) is no longer in the bucket: a record was deleted or put back`;
}
