// Serverless Framework v3 (3.40.0), the other framework the gate runs under in npm test. Installed
// from tests/fixtures/serverless-v3's lockfile with scripts off (telemetry off when run), once per
// lockfile: cached in the user's cache folder under the lockfile's hash, so a fresh clone on the
// same machine reuses it. A cold install takes about 45 s (measured on 2 cores, npm's cache warm).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_DIR } from './project.ts';

const FIXTURE = join(PROJECT_DIR, 'tests/fixtures/serverless-v3');

/** Where the installed v3 lives: the user's cache folder, one folder per lockfile. */
export function serverlessV3Dir(env: NodeJS.ProcessEnv = process.env): string {
  const lock = readFileSync(join(FIXTURE, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex').slice(0, 16);
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'petsage-smoke-gate', `serverless-v3-${hash}`);
}

/** The framework's entry point in an installed folder. */
export const serverlessV3Bin = (dir: string): string =>
  join(dir, 'node_modules/serverless/bin/serverless.js');

/** Installs v3 from the lockfile unless this lockfile's install is already cached; its folder. */
export async function installServerlessV3(): Promise<string> {
  const dir = serverlessV3Dir();
  if (existsSync(serverlessV3Bin(dir))) return dir;
  const parent = join(dir, '..');
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, 'installing-'));
  try {
    await cp(join(FIXTURE, 'package.json'), join(staging, 'package.json'));
    await cp(join(FIXTURE, 'package-lock.json'), join(staging, 'package-lock.json'));
    const install = spawnSync(
      'npm',
      ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
      { cwd: staging, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } },
    );
    if (install.status !== 0) throw new Error(`installing Serverless v3 failed: ${install.stderr}`);
    // Another run may have finished first: its folder stands.
    await rename(staging, dir).catch(() => undefined);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return dir;
}

/** The environment a v3 run needs here: no telemetry, no notifications, no update checks. */
export const SERVERLESS_V3_ENV = {
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  SLS_DEPRECATION_DISABLE: '*',
};
