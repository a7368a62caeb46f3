// `serverless rollback` a person runs, before the framework acts: the rollback check of
// deployments/rollback-by-commit.ts, in the stage the framework runs, with its AWS settings. In
// the traffic mode (docs/traffic.md) `live` moves back instead, and the stack is not updated.
import { createCloudFormationClient } from '../aws/aws-clients.ts';
import { createDeadline } from '../core/deadline.ts';
import { GATE_DEFAULTS } from '../core/defaults.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { type PluginLog, SmokeTestFailedError } from '../core/framework.ts';
import { EXIT_COULD_NOT_JUDGE } from '../core/verdicts.ts';
import { type LiveRollback, resolveRollbackCommit } from '../deployments/rollback-by-commit.ts';
import { trafficModeOf } from '../template/traffic-template.ts';
import {
  NotInTrafficMode,
  requiredTrafficStage,
  type TrafficStage,
} from '../traffic/traffic-stage.ts';
import type { FrameworkStage } from './gate-steps.ts';

/**
 * Checks the deployment `--commit` or `--timestamp` names; `--commit` becomes its timestamp. In
 * the traffic mode, moves `live` to its version and resolves with what it did.
 */
export async function checkManualRollback(input: {
  framework: Pick<FrameworkStage, 'place' | 'aws' | 'custom' | 'stack'>;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
  /** Takes the framework's stack rollback out of this command (the traffic mode needs it). */
  skipStackRollback?: () => boolean;
}): Promise<LiveRollback | undefined> {
  const { framework, cliOptions, log } = input;
  const aws = await framework.aws();
  const stage = framework.place;
  if (!trafficModeOf(framework.custom)) {
    return resolveRollbackCommit({ cliOptions, log, stage, aws });
  }
  const deadline = createDeadline(Date.now() + GATE_DEFAULTS.rollbackCheckTimeoutMs);
  let traffic: TrafficStage;
  try {
    traffic = await requiredTrafficStage(
      createCloudFormationClient(aws),
      framework.stack,
      deadline,
    );
  } catch (error) {
    if (!(error instanceof CouldNotJudgeError)) throw error;
    const hint = error instanceof NotInTrafficMode ? ': deploy it in the traffic mode first' : '';
    throw new SmokeTestFailedError(
      `${error.message}${hint}; nothing was changed`,
      EXIT_COULD_NOT_JUDGE,
    );
  }
  const skipStackRollback = input.skipStackRollback ?? (() => false);
  return resolveRollbackCommit({
    cliOptions,
    log,
    stage,
    aws,
    traffic: { stage: traffic, skipStackRollback, deadline },
  });
}
