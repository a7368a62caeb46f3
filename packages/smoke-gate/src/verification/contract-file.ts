// A contract from a file: `--contract <file>` (a serverless.yml, whose custom.smokeTest is read,
// or a file holding that map alone, YAML or JSON), and serverless.yml for `--local`.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { SmokeContract } from '../core/contract.ts';
import { readContract } from '../core/contract-config.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { isRecord } from '../core/json.ts';
import { safeMessage, safeText } from '../core/safe-text.ts';

/** A contract file larger than this is refused unread. */
const FILE_CAP = 1_048_576;

/**
 * Reads the contract in `path`: its `custom.smokeTest` when it has one, else the whole map.
 * CloudFormation tags (`!Ref`, `!GetAtt`) are read as plain values; the contract holds none.
 */
export async function readContractFile(
  path: string,
  source = '--contract',
): Promise<SmokeContract> {
  let text: string;
  try {
    if ((await stat(path)).size > FILE_CAP) throw new Error(`larger than ${FILE_CAP} bytes`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CouldNotJudgeError(
      `${source} ${JSON.stringify(safeText(path))}: ${safeMessage(error)}`,
    );
  }
  // Tags unknown to YAML (!Ref, !GetAtt) are warnings, read as plain values; errors refuse it.
  const document = parseDocument(text, { logLevel: 'silent' });
  const [error] = document.errors;
  if (error !== undefined) {
    throw new CouldNotJudgeError(
      `${source} ${JSON.stringify(safeText(path))} is not YAML or JSON: ${safeText(error.message.split('\n')[0])}`,
    );
  }
  const parsed: unknown = document.toJS({ maxAliasCount: 100 });
  const custom = isRecord(parsed) && isRecord(parsed.custom) ? parsed.custom : undefined;
  const map = custom === undefined ? parsed : (custom.smokeTest ?? {});
  // A serverless.yml's path may be a ${param:...}: the route comes from the service then.
  const raw =
    isRecord(map) && typeof map.path === 'string' && map.path.includes('${')
      ? { ...map, path: undefined }
      : map;
  try {
    return readContract(raw);
  } catch (error) {
    throw new CouldNotJudgeError(
      `${source} ${JSON.stringify(safeText(path))}: ${safeMessage(error)}`,
    );
  }
}

/**
 * The `custom.smokeTest` contract of the serverless.yml in `cwd`, when there is one that has it;
 * undefined when there is no serverless.yml or it names no `custom.smokeTest`.
 */
export async function serviceContractIn(cwd: string): Promise<SmokeContract | undefined> {
  const path = join(cwd, 'serverless.yml');
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined || text.length > FILE_CAP) return undefined;
  const document = parseDocument(text, { logLevel: 'silent' });
  // A serverless.yml that is not YAML: read as a contract file, which says why in one line.
  if (document.errors.length > 0) return readContractFile(path, './serverless.yml');
  const parsed: unknown = document.toJS({ maxAliasCount: 100 });
  const custom = isRecord(parsed) && isRecord(parsed.custom) ? parsed.custom : undefined;
  if (custom?.smokeTest === undefined) return undefined;
  return readContractFile(path, './serverless.yml');
}
