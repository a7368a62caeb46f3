// Writes the rendered policies into the service's folder: every file or none. A file that exists
// and differs is left alone and named, unless the run says --force.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CouldNotJudgeError } from '../../core/errors.ts';

/** What happened to one policy file. */
export interface PolicyFile {
  path: string;
  state: 'written' | 'unchanged' | 'overwritten';
}

/** The text of a file, or undefined when there is none. */
const existing = (path: string): Promise<string | undefined> =>
  readFile(path, 'utf8').catch(() => undefined);

/** Writes `rendered` (file name -> text) under `dir`, relative names in the answer. */
export async function writePolicyFiles(
  base: string,
  dir: string,
  rendered: Record<string, string>,
  force: boolean,
): Promise<PolicyFile[]> {
  const plans = await Promise.all(
    Object.entries(rendered).map(async ([file, text]) => {
      const path = join(dir, file);
      const before = await existing(join(base, path));
      const state: PolicyFile['state'] =
        before === undefined ? 'written' : before === text ? 'unchanged' : 'overwritten';
      return { path, text, state };
    }),
  );
  const differ = plans.filter((plan) => plan.state === 'overwritten');
  const [first] = differ;
  if (first !== undefined && !force) {
    const more = differ.length > 1 ? ` (and ${differ.length - 1} more)` : '';
    throw new CouldNotJudgeError(
      `${first.path} exists and differs from what init writes${more}; nothing was written: pass --force to overwrite`,
    );
  }
  await mkdir(join(base, dir), { recursive: true });
  for (const plan of plans) {
    if (plan.state !== 'unchanged') await writeFile(join(base, plan.path), plan.text);
  }
  return plans.map(({ path, state }) => ({ path, state }));
}
