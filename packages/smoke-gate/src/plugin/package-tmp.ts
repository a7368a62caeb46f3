// A temporary folder of the command's own while the service is packaged: bundlers in the same
// process (serverless-esbuild's zip step) take os.tmpdir() for their working folders and do not
// always remove them. Under `<service>/.serverless/tmp-<pid>` for the command, removed when
// packaging ends or the process exits; the system's temporary directory is never swept.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The variables os.tmpdir() reads (TMPDIR on POSIX; TMP and TEMP on Windows). */
const TMP_VARIABLES = ['TMPDIR', 'TMP', 'TEMP'] as const;

/** Ends the command's own temporary folder: removed, the variables as they were. */
export type EndOwnTmp = () => void;

/**
 * Points os.tmpdir() at a fresh folder under the service's `.serverless/` for this process;
 * returns what ends it (idempotent, also run at process exit).
 */
export function useOwnTmp(serviceDir: string, env: NodeJS.ProcessEnv = process.env): EndOwnTmp {
  const folder = join(serviceDir, '.serverless', `tmp-${process.pid}`);
  mkdirSync(folder, { recursive: true });
  const before = Object.fromEntries(TMP_VARIABLES.map((name) => [name, env[name]]));
  for (const name of TMP_VARIABLES) env[name] = folder;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    // Ended before exit: its exit listener goes too (one command may package more than once).
    process.off('exit', end);
    for (const name of TMP_VARIABLES) {
      if (before[name] === undefined) delete env[name];
      else env[name] = before[name];
    }
    rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', end);
  return end;
}
