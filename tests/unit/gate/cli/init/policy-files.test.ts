import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePolicyFiles } from '../../../../../packages/smoke-gate/src/cli/init/policy-files.ts';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'init-files-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const RENDERED = { 'a.json': '{"a":1}\n', 'b.json': '{"b":2}\n' };

describe('writePolicyFiles', () => {
  it('writes every file into a new folder, and leaves identical ones alone on a second run', async () => {
    // Act
    const first = await writePolicyFiles(base, '.github/iam', RENDERED, false);
    const second = await writePolicyFiles(base, '.github/iam', RENDERED, false);
    // Assess
    expect(first.map((file) => file.state)).toStrictEqual(['written', 'written']);
    expect(second.map((file) => file.state)).toStrictEqual(['unchanged', 'unchanged']);
    expect(await readFile(join(base, '.github/iam/b.json'), 'utf8')).toBe('{"b":2}\n');
  });

  it('writes nothing when a file differs, naming it, unless forced', async () => {
    // Prepare
    await mkdir(join(base, 'iam'));
    await writeFile(join(base, 'iam/b.json'), '{"edited":true}\n');
    // Act
    const refused = writePolicyFiles(base, 'iam', RENDERED, false);
    // Assess
    await expect(refused).rejects.toThrow(
      'iam/b.json exists and differs from what init writes; nothing was written: pass --force to overwrite',
    );
    await expect(readFile(join(base, 'iam/a.json'), 'utf8')).rejects.toThrow();
    const forced = await writePolicyFiles(base, 'iam', RENDERED, true);
    expect(forced).toStrictEqual([
      { path: 'iam/a.json', state: 'written' },
      { path: 'iam/b.json', state: 'overwritten' },
    ]);
    expect(await readFile(join(base, 'iam/b.json'), 'utf8')).toBe('{"b":2}\n');
  });
});
