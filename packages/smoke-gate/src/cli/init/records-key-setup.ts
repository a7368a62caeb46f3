// `smoke-gate init --run`: the service's records key made once (or found by its alias), and its
// pin written into serverless.yml. Run as the role the key policy names its administrator: KMS
// refuses a key policy that would lock its creator out (docs/signed-records.md).

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  type CreateKeyCommandOutput,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { callAws } from '../../aws/aws-call.ts';
import type { Deadline } from '../../core/deadline.ts';
import { CouldNotJudgeError } from '../../core/errors.ts';
import { recordsKeyAlias } from '../../deployments/record-signature.ts';
import { readRecordsKey } from '../../deployments/records-key.ts';
import type { RecordsKeyPin } from '../../deployments/records-key-pin.ts';

/** The key as `init --run` left it: its pin, and whether this run created it. */
export interface RecordsKeySetup {
  pin: RecordsKeyPin;
  keyId: string;
  created: boolean;
}

/** The key id (a UUID) at the end of a key ARN. */
export const keyIdOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * The service's records key: the one its alias names when there is one, else a new
 * ECC_NIST_P256 signing key with `policy` as its key policy, and the alias on it.
 */
export async function setUpRecordsKey(
  kms: KMSClient,
  request: { service: string; policy: string; deadline: Deadline },
): Promise<RecordsKeySetup> {
  const alias = recordsKeyAlias(request.service);
  const found = await readRecordsKey(kms, alias, request.deadline);
  if ('key' in found) {
    const pin = { arn: found.key.arn, publicKeySha256: found.publicKeySha256 };
    return { pin, keyId: keyIdOf(pin.arn), created: false };
  }
  const made = await callAws<CreateKeyCommandOutput>(
    kms,
    new CreateKeyCommand({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      Description: `${request.service}: signs the smoke gate's deployment records`,
      Policy: request.policy,
    }),
    { what: 'creating the records key', deadline: request.deadline, needs: 'kms:CreateKey' },
  );
  const keyId = made.KeyMetadata?.KeyId;
  if (keyId === undefined) throw new CouldNotJudgeError('KMS created a key but named no key id');
  await callAws(kms, new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }), {
    what: `naming the records key ${alias}`,
    deadline: request.deadline,
    needs: 'kms:CreateAlias',
  });
  const read = await readRecordsKey(kms, alias, request.deadline);
  if ('problem' in read) throw new CouldNotJudgeError(read.problem);
  const pin = { arn: read.key.arn, publicKeySha256: read.publicKeySha256 };
  return { pin, keyId: keyIdOf(pin.arn), created: true };
}

/** The pin's lines, indented under a key at `indent`. */
const pinLines = (indent: string, pin: RecordsKeyPin): string[] => [
  `${indent}recordsKey:`,
  `${indent}  arn: ${pin.arn}`,
  `${indent}  publicKeySha256: ${pin.publicKeySha256}`,
];

/** The block under the top-level key `key:` and the line index after which to insert into it. */
function insertionPoint(lines: string[], parent: RegExp): number | undefined {
  const at = lines.findIndex((line) => parent.test(line));
  return at === -1 ? undefined : at;
}

/** The text with the pin added: under custom.smokeTest, creating either when missing. */
export function withPin(text: string, pin: RecordsKeyPin): string {
  const lines = text.split('\n');
  const custom = insertionPoint(lines, /^custom:[ \t]*(#.*)?$/);
  if (custom === undefined) {
    const end = text.endsWith('\n') ? '' : '\n';
    return `${text}${end}custom:\n  smokeTest:\n${pinLines('    ', pin).join('\n')}\n`;
  }
  const smokeTest = lines.findIndex(
    (line, index) => index > custom && /^([ \t]+)smokeTest:[ \t]*(#.*)?$/.test(line),
  );
  const nextTop = lines.findIndex((line, index) => index > custom && /^\S/.test(line));
  if (smokeTest === -1 || (nextTop !== -1 && smokeTest > nextTop)) {
    lines.splice(custom + 1, 0, '  smokeTest:', ...pinLines('    ', pin));
    return lines.join('\n');
  }
  const own = /^([ \t]+)/.exec(lines[smokeTest] as string)?.[1] ?? '  ';
  const child = lines
    .slice(smokeTest + 1)
    .find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const indent = /^([ \t]+)/.exec(child ?? '')?.[1] ?? `${own}  `;
  lines.splice(
    smokeTest + 1,
    0,
    ...pinLines(indent.length > own.length ? indent : `${own}  `, pin),
  );
  return lines.join('\n');
}

/**
 * Writes the pin into the service's serverless.yml (custom.smokeTest.recordsKey) as lines added
 * to it, the rest of the file as it was; a file that already pins a key is refused unless it pins
 * this one. The result is read back: a pin that did not land where the gate reads it is refused.
 */
export async function pinInServiceFile(
  dir: string,
  file: string,
  pin: RecordsKeyPin,
): Promise<'pinned' | 'already pinned'> {
  const path = join(dir, file);
  const text = await readFile(path, 'utf8');
  const { parse } = await import('yaml');
  const pinned = (source: string) =>
    (parse(source, { logLevel: 'silent' }) as { custom?: { smokeTest?: { recordsKey?: unknown } } })
      ?.custom?.smokeTest?.recordsKey;
  const before = pinned(text);
  if (before !== undefined) {
    if (JSON.stringify(before) === JSON.stringify(pin)) return 'already pinned';
    throw new CouldNotJudgeError(
      `${file} already pins another records key (custom.smokeTest.recordsKey): remove it to pin ${pin.arn}`,
    );
  }
  const next = withPin(text, pin);
  if (JSON.stringify(pinned(next)) !== JSON.stringify(pin)) {
    throw new CouldNotJudgeError(
      `${file}: init could not place custom.smokeTest.recordsKey; add it by hand (smoke-gate records-key prints it)`,
    );
  }
  await writeFile(path, next);
  return 'pinned';
}
