import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../harness/project/project.ts';
import {
  frameworkIdentity,
  untestedFramework,
} from '../../../../packages/smoke-gate/src/plugin/framework-range.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'framework-range-'));
  await mkdir(join(dir, 'releases/4.4.0/bin'), { recursive: true });
  await writeFile(join(dir, 'releases/4.4.0/package.json'), JSON.stringify({ name: 'serverless' }));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('which framework runs the plugin', () => {
  it('tells this repository’s osls by its package, from its bin', () => {
    // Act
    const id = frameworkIdentity(
      { version: '4.3.1' },
      join(PROJECT_DIR, 'node_modules/serverless/bin/serverless.js'),
    );
    // Assess
    expect(id).toStrictEqual({ name: 'osls', version: '4.3.1' });
    expect(untestedFramework(id)).toBeUndefined();
  });

  it('tells this repository’s osls through npx’s .bin link, never by the service’s own package', () => {
    // Act: npx runs node_modules/.bin/serverless, a link beside the service's package.json.
    const id = frameworkIdentity(
      { version: '4.3.1' },
      join(PROJECT_DIR, 'node_modules/.bin/serverless'),
    );
    // Assess
    expect(id).toStrictEqual({ name: 'osls', version: '4.3.1' });
    expect(untestedFramework(id)).toBeUndefined();
  });

  it('tells Serverless v4 from osls though both report 4.x, and says it is untested', () => {
    // Act
    const id = frameworkIdentity(
      { version: '4.4.0' },
      join(dir, 'releases/4.4.0/bin/serverless.js'),
    );
    // Assess
    expect(id).toStrictEqual({ name: 'serverless', version: '4.4.0' });
    expect(untestedFramework(id)).toBe(
      'Smoke test: the gate is tested on osls 4 and Serverless 3.38-3.40, not serverless 4.4.0; it runs, untested (docs/frameworks.md).',
    );
  });

  it.each([
    ['3.38.0', undefined],
    ['3.40.0', undefined],
    ['3.37.2', 'untested'],
    ['2.72.0', 'untested'],
  ])('holds Serverless %s to the tested range 3.38-3.40', (version, expected) => {
    // Act
    const line = untestedFramework({ name: 'serverless', version });
    // Assess
    expect(line === undefined ? undefined : 'untested').toBe(expected);
  });
});
