import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { PROJECT_DIR } from './project.ts';

/** What a CLI subprocess printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  seconds: number;
  /** Peak memory, when run with `measureMemory` (see max-rss.mjs). */
  maxRssKb: number | undefined;
  /** Every module URL the child resolved, when run with `recordModules` (see loaded-modules.ts). */
  modules?: string[] | undefined;
}

/** Options for {@link runNodeScript}. */
export interface RunOptions {
  /** Preloads harness/project/max-rss.mjs so the child reports its peak memory. */
  measureMemory?: boolean;
  /** Preloads harness/project/loaded-modules.ts so the child lists the modules it loaded. */
  recordModules?: boolean;
  /** Working directory (default: the project). */
  cwd?: string;
}

/** Runs a script (a path in this repo, or absolute) on this Node as a subprocess, collecting its output. */
export const runNodeScript = (
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: RunOptions = {},
): Promise<CliRun> => startNodeScript(script, args, env, options).done;

/** A started script: its process (to signal it) and what it printed when it ends. */
export interface StartedScript {
  child: ChildProcess;
  done: Promise<CliRun>;
}

/** Starts a script as {@link runNodeScript} does, and hands back its process too. */
export function startNodeScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: RunOptions = {},
): StartedScript {
  const preload = [
    ...(options.measureMemory
      ? ['--import', join(PROJECT_DIR, 'harness/project/max-rss.mjs')]
      : []),
    ...(options.recordModules
      ? ['--import', join(PROJECT_DIR, 'harness/project/loaded-modules.ts')]
      : []),
  ];
  const started = Date.now();
  const child = spawn(process.execPath, [...preload, resolve(PROJECT_DIR, script), ...args], {
    cwd: options.cwd ?? PROJECT_DIR,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code) => {
      const rss = /max-rss-kb: (\d+)/.exec(stderr)?.[1];
      const modules = /\nloaded-modules: (.*)\n/.exec(stderr)?.[1];
      resolve({
        code,
        stdout,
        stderr: stderr.replace(/\nmax-rss-kb: \d+\n/, '').replace(/\nloaded-modules: .*\n/, ''),
        seconds: (Date.now() - started) / 1000,
        maxRssKb: rss === undefined ? undefined : Number(rss),
        modules: modules === undefined ? undefined : (JSON.parse(modules) as string[]),
      });
    });
  });
  return { child, done };
}
