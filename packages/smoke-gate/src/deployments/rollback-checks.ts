// Every rollback is checked the same way, automatic or manual (`--commit`, `--timestamp`): a
// record this pipeline signed, artifacts unchanged since (hashes and object versions), the
// template's build stamp matching the record's commit, and a verdict worth returning to. A
// deployment whose record does not say it passed (failed, rolled back, interrupted, could not be
// judged, superseded) is refused unless the operator forces it.

import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Deadline } from '../core/deadline.ts';
import { PASSED_VERDICTS } from '../core/verdicts.ts';
import { versionCode } from '../traffic/aliases.ts';
import type { Books } from './deployment-books.ts';
import { builtFrom } from './deployment-bucket.ts';
import type { Deployment } from './deployment-history.ts';
import type { ArtifactHash } from './deployment-record.ts';

/** True when the command line passed `--force` (the framework hands a boolean flag as true or 'true'). */
export const forcedBy = (cliOptions: Record<string, unknown>): boolean =>
  cliOptions.force === true || cliOptions.force === 'true';

/** Why `to`'s record does not let the gate return to it (one line), or undefined when it does. */
export function recordRefusal(to: Deployment, options: { force: boolean }): string | undefined {
  const record = to.record;
  // Untrusted first: a record read not at all (too many versions, a rewound stage) says why.
  if (to.untrusted !== null) {
    return `refused: deployment ${to.directory}'s record is untrusted (${to.untrusted}); the gate restores only what this pipeline signed.`;
  }
  if (record === null) {
    return `refused: deployment ${to.directory} has no record, so nothing proves it passed its gate.`;
  }
  if (!PASSED_VERDICTS.includes(record.verdict) && !options.force) {
    return `refused: deployment ${to.directory} is recorded as ${record.verdict}; pass --force to restore it anyway (recorded as forced).`;
  }
  return undefined;
}

/**
 * The traffic mode (docs/traffic.md): why `live` may not return to `to`'s version, or undefined
 * when it may. Versions are immutable: the version must still exist and run the code its record
 * names (CodeSha256); the S3 artifacts play no part.
 */
export async function versionRefusal(
  lambda: LambdaClient,
  functionName: string,
  to: Deployment,
  options: { force: boolean; deadline: Deadline },
): Promise<string | undefined> {
  const refused = recordRefusal(to, options);
  if (refused !== undefined) return refused;
  const version = to.record?.functionVersion ?? null;
  if (version === null) {
    return `refused: deployment ${to.directory}'s record names no function version (it was deployed all at once), so live cannot return to it.`;
  }
  const running = await versionCode(lambda, functionName, version.number, options.deadline);
  if (running === undefined) {
    return `refused: version ${version.number} of ${functionName} no longer exists.`;
  }
  if (running !== version.codeSha256) {
    return `refused: version ${version.number} of ${functionName} runs code ${running}, not the ${version.codeSha256} its record vouches for.`;
  }
  return undefined;
}

/** Why the gate may not return to `to` now (one line), or undefined when it may. */
export async function rollbackRefusal(
  books: Books,
  to: Deployment,
  options: { force: boolean } = { force: false },
): Promise<string | undefined> {
  const refused = recordRefusal(to, options);
  if (refused !== undefined) return refused;
  const record = to.record as NonNullable<Deployment['record']>;
  if (Object.keys(record.artifacts).length === 0) {
    return `refused: deployment ${to.directory} has no recorded artifact hashes, so what it would apply cannot be checked.`;
  }
  const changes = artifactChanges(record.artifacts, await books.artifactsOf(to.directory));
  if (changes.length > 0) {
    return `refused: deployment ${to.directory}'s artifacts changed since they were verified (${changes.join('; ')}).`;
  }
  const stamp = await builtFrom(books, to.directory);
  if (stamp.commit !== record.commit) {
    return `refused: deployment ${to.directory}'s template is stamped with commit ${stamp.commit ?? 'none'}, its record with ${record.commit ?? 'none'}.`;
  }
  return undefined;
}

/**
 * How the artifacts in the bucket now differ from a record's (one line each): changed, missing
 * or added. Empty when they are exactly what was verified.
 */
export function artifactChanges(
  recorded: Record<string, ArtifactHash>,
  current: Record<string, ArtifactHash>,
): string[] {
  const changes: string[] = [];
  for (const [name, hash] of Object.entries(recorded)) {
    const now = current[name];
    if (now === undefined) changes.push(`${name} is gone`);
    else if (now.sha256 !== hash.sha256) changes.push(`${name} was replaced (sha256 differs)`);
    else if (hash.versionId !== null && now.versionId !== hash.versionId) {
      changes.push(`${name} was written again (object version differs)`);
    }
  }
  for (const name of Object.keys(current)) {
    if (!(name in recorded)) changes.push(`${name} was added`);
  }
  return changes;
}
