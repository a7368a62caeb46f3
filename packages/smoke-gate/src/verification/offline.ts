import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Deadline } from '../core/deadline.ts';
import { VERIFY_DEFAULTS } from '../core/defaults.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';
import { readContractFile } from './contract-file.ts';
import type { ResolvedTarget } from './log-source.ts';
import { outputLogSource } from './output-log-source.ts';

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

/** Options for {@link startOffline}. */
export interface OfflineOptions {
  /** The service directory (where serverless.yml is). */
  cwd: string;
  httpPort?: number;
  lambdaPort?: number;
  stage?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for "Server ready" (default VERIFY_DEFAULTS.offlineReadyTimeoutMs). */
  readyTimeoutMs?: number;
  /** Called with each complete output line (stdout and stderr). */
  onLine?: (line: string) => void;
}

/** A running serverless-offline process. */
export interface OfflineServer {
  /** Base URL, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** Every output line so far (stdout and stderr, in arrival order). */
  lines(): string[];
  /** The HTTP routes serverless-offline printed when it started, e.g. GET …/health. */
  routes(): { method: string; url: string }[];
  /** Stops the process group; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Thrown when serverless-offline does not come up; the message carries its output. */
export class OfflineStartError extends Error {
  override name = 'OfflineStartError';
}

/**
 * Stops a child by its own pid: SIGTERM, then SIGKILL after the grace. With `group` (a detached
 * child), its whole process group goes too, so esbuild and worker processes do not outlive it.
 * Resolves once the child has exited.
 */
export const stopProcess = async (
  child: ChildProcess,
  options: { group: boolean },
): Promise<void> => {
  const pid = child.pid;
  if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return;
  const exited = once(child, 'exit');
  const signal = (name: NodeJS.Signals) => {
    try {
      // Negative pid: the whole group.
      process.kill(options.group ? -pid : pid, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), VERIFY_DEFAULTS.stopGraceMs);
  await exited;
  clearTimeout(timer);
};

/** Stops a detached child and its whole process group; resolves once the child has exited. */
export const stopProcessGroup = (child: ChildProcess): Promise<void> =>
  stopProcess(child, { group: true });

/** A child's output, line by line (stdout and stderr in arrival order), with a wake-up per chunk. */
function collectLines(child: ChildProcess, onLine?: (line: string) => void) {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) {
        const line = part.replace(/\r$/, '');
        lines.push(line);
        onLine?.(line);
      }
      for (const wake of waiters) wake();
    });
  }
  return { lines, waiters };
}

/** The HTTP routes serverless-offline printed (not the Lambda invoke API). */
const routesIn = (lines: string[]) =>
  lines.flatMap((line) => {
    const route = /\b(GET|HEAD|POST|PUT|PATCH|DELETE|ANY)\s+\|\s+(http:\/\/\S+)/.exec(line);
    // The Lambda invoke API (POST …/2015-03-31/functions/…) is not an HTTP event route.
    return route?.[1] && route[2] && !route[2].includes('/2015-03-31/functions/')
      ? [{ method: route[1], url: route[2] }]
      : [];
  });

/** Resolves when serverless-offline says "Server ready:"; rejects when it exits or times out. */
function whenReady(
  child: ChildProcess,
  output: ReturnType<typeof collectLines>,
  readyTimeoutMs: number,
): Promise<void> {
  const { lines, waiters } = output;
  return new Promise<void>((resolve, reject) => {
    waiters.add(() => {
      if (lines.some((line) => line.includes('Server ready:'))) resolve();
    });
    child.once('exit', (code) =>
      reject(
        new OfflineStartError(
          `serverless-offline exited with code ${code} before it was ready:\n${lines.join('\n')}`,
        ),
      ),
    );
    setTimeout(
      () =>
        reject(
          new OfflineStartError(
            `serverless-offline was not ready within ${readyTimeoutMs} ms:\n${lines.join('\n')}`,
          ),
        ),
      readyTimeoutMs,
    ).unref();
  });
}

/**
 * Starts `serverless offline start` from the project's own osls on the given (or free) ports and
 * resolves when it is ready to serve. Always call stop(), also when a test fails.
 */
export async function startOffline(options: OfflineOptions): Promise<OfflineServer> {
  const httpPort = options.httpPort ?? (await freePort());
  const lambdaPort = options.lambdaPort ?? (await freePort());
  const serverlessBin = join(options.cwd, 'node_modules', 'serverless', 'bin', 'serverless.js');
  const args = [serverlessBin, 'offline', 'start', '--httpPort', String(httpPort)];
  args.push('--lambdaPort', String(lambdaPort), '--host', '127.0.0.1');
  if (options.stage !== undefined) args.push('--stage', options.stage);
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = collectLines(child, options.onLine);
  const server: OfflineServer = {
    baseUrl: `http://127.0.0.1:${httpPort}`,
    lines: () => [...output.lines],
    routes: () => routesIn(output.lines),
    stop: () => stopProcessGroup(child),
  };
  try {
    await whenReady(child, output, options.readyTimeoutMs ?? VERIFY_DEFAULTS.offlineReadyTimeoutMs);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * `--local`: starts serverless-offline on free ports under the deadline and verifies against its
 * route (serverless.yml's healthPath, or `path`) and its output.
 */
export async function resolveLocalTarget(target: {
  cwd: string;
  path?: string | undefined;
  deadline: Deadline;
  onNotice?: ((text: string) => void) | undefined;
}): Promise<ResolvedTarget> {
  // The service's contract first: a wrong one is refused before anything starts.
  const file = join(target.cwd, 'serverless.yml');
  const contract = existsSync(file) ? await readContractFile(file, 'serverless.yml') : undefined;
  target.onNotice?.('Starting serverless-offline on free ports...');
  const server = await startOffline({
    cwd: target.cwd,
    stage: 'local',
    readyTimeoutMs: Math.max(target.deadline.remainingMs(), 1),
  }).catch((error: unknown) => {
    throw new CouldNotJudgeError(
      `serverless-offline did not start before the deadline: ${safeText(error instanceof Error ? error.message.split('\n')[0] : error)}`,
    );
  });
  const route = server.routes().find((r) => r.method === 'GET');
  const url =
    target.path !== undefined
      ? `${server.baseUrl}${target.path.startsWith('/') ? '' : '/'}${target.path}`
      : (route?.url ?? `${server.baseUrl}${VERIFY_DEFAULTS.healthPath}`);
  return { url, contract, logSource: outputLogSource({ lines: server.lines }), stop: server.stop };
}
