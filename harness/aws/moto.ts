import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, stopProcess } from '../../packages/smoke-gate/src/verification/offline.ts';

const SHIM = fileURLToPath(new URL('./moto_server_shim.py', import.meta.url));

/** True when python3 has moto's server (pip install "moto[server]"). */
export const motoAvailable = (): boolean =>
  spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0;

/**
 * True when moto is there for a suite. Without it the suite is skipped with a visible message;
 * under CI=true that is an error instead, so CI can never pass without the moto suites.
 */
export function motoForSuite(suite: string): boolean {
  if (motoAvailable()) return true;
  const message = `moto_server not found: skipping ${suite} (pip install "moto[server]")`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it`);
  console.warn(`\n*** ${message} ***\n`);
  return false;
}

/** The account moto acts in for its default credentials (and for roles assumed in it). */
export const MOTO_ACCOUNT = '123456789012';

/** Fake credentials for moto, and nothing that lets the SDK look elsewhere (IMDS, ~/.aws). */
export const MOTO_CREDENTIALS_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_CONFIG_FILE: '/nonexistent/config',
} as const;

/** SDK client settings that reach moto in `region` with the fake credentials. */
export type MotoSettings = {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
};

/** A running moto server on 127.0.0.1. */
export interface Moto {
  endpoint: string;
  /** Settings for an SDK client (or the gate's AWS settings) against this server. */
  settings(region?: string): MotoSettings;
  stop(): Promise<void>;
}

const stopChild = (child: ChildProcess) => stopProcess(child, { group: false });

/**
 * Starts moto's server on a free port, through harness/aws/moto_server_shim.py (moto_server plus the
 * numbered fixes that make it behave like AWS where the gate depends on it: see the shim's
 * header), and waits until it answers.
 */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child = spawn('python3', [SHIM, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) break;
    try {
      await fetch(`${endpoint}/moto-api/`);
      return {
        endpoint,
        settings: (region = 'us-east-1') => ({
          region,
          endpoint,
          credentials: {
            accessKeyId: MOTO_CREDENTIALS_ENV.AWS_ACCESS_KEY_ID,
            secretAccessKey: MOTO_CREDENTIALS_ENV.AWS_SECRET_ACCESS_KEY,
          },
        }),
        stop: () => stopChild(child),
      };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stopChild(child);
  throw new Error(`moto_server did not start on ${endpoint}:\n${output}`);
}
