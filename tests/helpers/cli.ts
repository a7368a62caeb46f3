import { type CliRun, type RunOptions, runNodeScript } from '../../harness/node-script.ts';

export { type CliRun, type RunOptions, runNodeScript } from '../../harness/node-script.ts';

/** Runs `petsage-smoke` (lib/verify/cli.ts on this Node) as a subprocess. */
export const runCliProcess = (
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: RunOptions = {},
): Promise<CliRun> => runNodeScript('lib/verify/cli.ts', args, env, options);
