// `serverless rollback` a person runs, before the framework acts: the rollback check of
// deployments/rollback-by-commit.ts, in the stage the framework runs, with its AWS settings.
import type { PluginLog } from '../core/framework.ts';
import { resolveRollbackCommit } from '../deployments/rollback-by-commit.ts';
import type { FrameworkStage } from './gate-steps.ts';

/** Checks the deployment `--commit` or `--timestamp` names; `--commit` becomes its timestamp. */
export async function checkManualRollback(input: {
  framework: Pick<FrameworkStage, 'place' | 'aws'>;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
}): Promise<void> {
  const { framework, cliOptions, log } = input;
  const aws = await framework.aws();
  await resolveRollbackCommit({ cliOptions, log, stage: framework.place, aws });
}
