// The gate as another service gets it: `npm pack` in packages/smoke-gate (what `npm publish`
// would upload), the tarball's file list, then the tarball installed with npm into an empty
// folder that is not this service (its dependencies from npm's cache or the registry), where the
// installed bin runs and the plugin's default export loads. Not proven here: a registry's own
// publish checks, and the framework loading it from there (the deploy suites load it through the
// workspace link, as this service does).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';

const PACKAGE_DIR = join(PROJECT_DIR, 'packages/smoke-gate');
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));

let serviceDir: string;
/** The gate as packed for this run (tests/setup/gate-tarball.ts). */
const packed = inject('packedGate');

/** npm on this process's Node (npm scripts put Node 24 first on the PATH). */
const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });

beforeAll(() => {
  serviceDir = mkdtempSync(join(tmpdir(), 'other-service-'));
  writeFileSync(
    join(serviceDir, 'package.json'),
    JSON.stringify({ name: 'other-service', private: true, type: 'module' }),
  );
  const install = npm(
    ['install', '--prefer-offline', '--no-audit', '--no-fund', packed.tarball],
    serviceDir,
  );
  expect(install.status, install.stderr).toBe(0);
});

afterAll(() => {
  if (serviceDir !== undefined) rmSync(serviceDir, { recursive: true, force: true });
});

/** Runs a file of the installed package on this Node, from the other service's folder. */
const runInstalled = (args: string[]) =>
  spawnSync(process.execPath, args, {
    cwd: serviceDir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

describe('the packed gate (@petsage/smoke-gate)', () => {
  it('holds only what runs: compiled JavaScript, declarations, the policy templates and package.json', () => {
    // Act
    const paths = packed.files;
    // Assess
    expect(paths).toContain('dist/plugin/index.js');
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('bin/petsage-smoke.js');
    expect(paths.filter((p) => /\.ts$/.test(p) && !/\.d\.ts$/.test(p))).toStrictEqual([]);
    expect(paths.filter((p) => /(^|\/)(tests?|harness|bench|src)\//.test(p))).toStrictEqual([]);
    expect(
      paths
        .filter((p) => !/^dist\/.+\.(js|d\.ts)$/.test(p) && !/^iam\/[a-z-]+\.json$/.test(p))
        .sort(),
    ).toStrictEqual(['README.md', 'bin/petsage-smoke.js', 'package.json']);
    // smoke-gate init renders these (docs/adopt.md).
    expect(paths.filter((p) => p.startsWith('iam/'))).toHaveLength(10);
  });

  it('is publishable, with JavaScript entries and the framework as an optional peer', () => {
    expect(manifest.private).toBeUndefined();
    // One program, two names: smoke-gate, and petsage-smoke as it was first called.
    expect(manifest.bin).toStrictEqual({
      'smoke-gate': 'bin/petsage-smoke.js',
      'petsage-smoke': 'bin/petsage-smoke.js',
    });
    expect(manifest.exports['.'].default).toBe('./dist/plugin/index.js');
    expect(manifest.peerDependenciesMeta).toStrictEqual({
      osls: { optional: true },
      serverless: { optional: true },
    });
    expect(Object.keys(manifest.dependencies).sort()).toStrictEqual([
      '@aws-sdk/client-cloudformation',
      '@aws-sdk/client-cloudwatch',
      '@aws-sdk/client-cloudwatch-logs',
      // The records key (signed records) and assumed roles (stages in other accounts).
      '@aws-sdk/client-kms',
      // The code a function runs (live is what runs: history and status).
      '@aws-sdk/client-lambda',
      '@aws-sdk/client-s3',
      '@aws-sdk/client-sns',
      // The stage's anchor outside the bucket (signed records).
      '@aws-sdk/client-ssm',
      '@aws-sdk/client-sts',
      // The SDK's shared config loader: a targets file's profiles are checked before any call.
      '@smithy/core',
      'yaml',
    ]);
  });

  it('runs its installed bin in another service: help, version and a usage error', () => {
    // Act
    const bin = join(serviceDir, 'node_modules/.bin/petsage-smoke');
    const help = runInstalled([bin, '--help']);
    const version = runInstalled([bin, '--version']);
    const usage = runInstalled([bin, 'verify', '--stge', 'dev']);
    // Assess
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: smoke-gate verify/);
    expect(version.stdout).toBe(`${manifest.version}\n`);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/did you mean --stage\?/);
  });

  it('loads the plugin from the other service’s node_modules, by its package name', () => {
    // Act
    const loaded = runInstalled([
      '--input-type=module',
      '-e',
      `const { default: Plugin } = await import('@petsage/smoke-gate');
       const plugin = new Plugin({ service: { service: 'other' } }, {});
       console.log(JSON.stringify({ name: Plugin.name, commands: Object.keys(plugin.commands) }));`,
    ]);
    // Assess
    expect(loaded.stderr).toBe('');
    expect(JSON.parse(loaded.stdout)).toStrictEqual({
      name: 'SmokeTestPlugin',
      commands: ['smoke', 'rollback', 'deploy'],
    });
  });
});
