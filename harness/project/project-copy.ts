import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_DIR } from './project.ts';

/** What a service directory needs to package and deploy: no tests, no build output. */
const SERVICE_FILES = [
  'serverless.yml',
  'package.json',
  'esbuild.config.cjs',
  'tsconfig.json',
  'functions',
  'lib',
];

/**
 * Copies the service into `dir` (node_modules linked, not copied), so a test can deploy from it
 * (and edit it) without touching the repository's own build folders. `edits` replaces text in
 * files of the copy, e.g. to deploy a broken version.
 */
export async function copyProject(
  dir: string,
  edits: { file: string; from: string; to: string }[] = [],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const name of SERVICE_FILES) {
    await cp(join(PROJECT_DIR, name), join(dir, name), { recursive: true });
  }
  await symlink(join(PROJECT_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await applyEdits(dir, edits);
  return dir;
}

/** Replaces text in files of a copy; the replaced text must be there. */
export async function applyEdits(
  dir: string,
  edits: { file: string; from: string; to: string }[],
): Promise<void> {
  for (const edit of edits) {
    const path = join(dir, edit.file);
    const text = await readFile(path, 'utf8');
    if (!text.includes(edit.from))
      throw new Error(`${edit.file} has no ${JSON.stringify(edit.from)}`);
    await writeFile(path, text.replace(edit.from, edit.to));
  }
}
