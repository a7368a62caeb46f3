// `serverless rollback` a person runs, before the framework acts: the rollback check of
// deployments/rollback-by-commit.ts, with the stage and its AWS settings read from the framework.
import { frameworkAws } from '../aws/framework-aws.ts';
import type { PluginLog, ServerlessLike } from '../core/framework.ts';
import { resolveRollbackCommit } from '../deployments/rollback-by-commit.ts';
import { stagePlaceOf } from './stage-place.ts';

/** Checks the deployment `--commit` or `--timestamp` names; `--commit` becomes its timestamp. */
export async function checkManualRollback(input: {
  serverless: ServerlessLike;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
}): Promise<void> {
  const aws = await frameworkAws(input.serverless);
  await resolveRollbackCommit({ ...input, stage: stagePlaceOf(input.serverless), aws });
}
