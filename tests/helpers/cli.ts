import {
  type CliRun,
  type RunOptions,
  runNodeScript,
  type StartedScript,
  startNodeScript,
} from '../../harness/project/node-script.ts';
import { GATE_CLI } from '../../harness/project/project.ts';

export {
  type CliRun,
  type RunOptions,
  runNodeScript,
  startNodeScript,
} from '../../harness/project/node-script.ts';

/** Runs `petsage-smoke` (the gate package's compiled CLI, on this Node) as a subprocess. */
export const runCliProcess = (
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: RunOptions = {},
): Promise<CliRun> => runNodeScript(GATE_CLI, args, env, options);

/** Starts `petsage-smoke` as {@link runCliProcess} does, with its process to signal. */
export const startCliProcess = (
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: RunOptions = {},
): StartedScript => startNodeScript(GATE_CLI, args, env, options);
