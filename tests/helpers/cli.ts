import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_DIR } from '../../harness/project.ts';

/** What a CLI subprocess printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `petsage-smoke` (lib/verify/cli.ts on this Node) as a subprocess. */
export const runCliProcess = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  runNodeScript('lib/verify/cli.ts', args, env);

/** Runs a script of this repo on this Node as a subprocess, collecting its output. */
export function runNodeScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [join(PROJECT_DIR, script), ...args], {
    cwd: PROJECT_DIR,
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
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
