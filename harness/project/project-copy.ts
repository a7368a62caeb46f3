import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

/** A copy of the service in a temporary folder of its own, and how to remove it. */
export interface ServiceCopy {
  /** The copy's folder: run the framework (package, offline) with this as its cwd. */
  dir: string;
  remove(): Promise<void>;
}

/**
 * A copy of the service for one suite: its build folders (.esbuild, .esbuild-offline) are its
 * own, so suites that package or serve the service can run side by side.
 */
export async function serviceCopy(
  edits: { file: string; from: string; to: string }[] = [],
): Promise<ServiceCopy> {
  const root = await mkdtemp(join(tmpdir(), 'petsage-service-'));
  const dir = await copyProject(join(root, 'service'), edits);
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
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
