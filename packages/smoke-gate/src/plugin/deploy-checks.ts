// What `serverless deploy` checks before it uploads anything (before:deploy:deploy): that its
// caller is one the bucket guard lets write, and, in the traffic mode, that no other gate is
// proving a version on the candidate stage. Either stops the deploy in one line. And what the
// traffic mode's `serverless rollback` needs of the framework: its stack rollback left out.

import { createDeadline } from '../core/deadline.ts';
import { GATE_DEFAULTS } from '../core/defaults.ts';
import { safeMessage } from '../core/safe-text.ts';
import type { ServiceGate } from '../template/service-gate.ts';
import { readShiftOption, type ShiftShape } from '../traffic/traffic-shift.ts';
import { readFrameworkStage } from './framework-stage.ts';
import { packagedService } from './packaged-service.ts';
import type { PluginServerless } from './serverless-like.ts';

const frameworkError = (serverless: PluginServerless, message: string, code: string) => {
  const FrameworkError = serverless.classes?.Error ?? Error;
  return new FrameworkError(message, code);
};

/**
 * A deploy run as a principal the bucket guard would lock out of its own bucket stops here, in
 * one line (gate/guard-caller.ts). No guard added at packaging: nothing to check.
 */
export async function checkDeployCaller(
  serverless: PluginServerless,
  cliOptions: Record<string, unknown>,
  guarded: { deployRoleName: string | undefined; exemptRoles: string[] },
): Promise<void> {
  if (guarded.deployRoleName === undefined) return;
  const { checkGuardCaller } = await import('../gate/guard-caller.ts');
  const guard = {
    deployRoleName: guarded.deployRoleName,
    exemptRoles: guarded.exemptRoles,
    setting: 'custom.smokeTest.monitoring.deployRoleName',
  };
  let problem: string | undefined;
  try {
    const aws = await readFrameworkStage(serverless, cliOptions).aws();
    const deadline = createDeadline(Date.now() + GATE_DEFAULTS.callerCheckTimeoutMs);
    problem = await checkGuardCaller({ aws, deadline, guard });
  } catch (error) {
    problem = `Smoke test: could not tell who deploys (${safeMessage(error, 200)}), so the bucket guard could lock this deploy out: nothing was uploaded.`;
  }
  if (problem !== undefined) throw frameworkError(serverless, problem, 'SMOKE_TEST_GUARD_LOCKOUT');
}

/**
 * The traffic mode: another gate proving a version on the candidate stage stops this deploy in
 * one line, naming it, with exit 2 (docs/traffic.md). A function not deployed yet has no alias.
 */
/** Why `--traffic` cannot shift this deploy, in one line; undefined when it can. */
function shiftOptionProblem(option: unknown, configured: ShiftShape): string | undefined {
  if (typeof option !== 'string') return '--traffic needs a shape: all-at-once, canary or linear';
  try {
    readShiftOption(option, configured);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function checkCandidateFree(
  serverless: PluginServerless,
  cliOptions: Record<string, unknown>,
  gate: ServiceGate,
): Promise<void> {
  const option = cliOptions.traffic;
  if (option !== undefined) {
    const problem =
      gate.traffic === undefined
        ? '--traffic shifts the traffic mode: custom.smokeTest.traffic is not on'
        : shiftOptionProblem(option, gate.traffic.shift);
    if (problem !== undefined) {
      process.once('exit', () => {
        process.exitCode = 2;
      });
      throw frameworkError(
        serverless,
        `Smoke test: ${problem}; nothing was deployed.`,
        'SMOKE_TEST_TRAFFIC_OPTION',
      );
    }
  }
  if (gate.traffic === undefined) return;
  const service = packagedService(serverless);
  const fn = service.template?.Resources?.[service.functionId(gate.functionName)] as
    | { Properties?: { FunctionName?: unknown } }
    | undefined;
  const functionName = fn?.Properties?.FunctionName;
  if (typeof functionName !== 'string') return;
  const { candidateFreeBeforeDeploy } = await import('../traffic/candidate-claim.ts');
  let busy: string | undefined;
  try {
    const stage = readFrameworkStage(serverless, cliOptions);
    const aws = await stage.aws();
    const deadline = createDeadline(Date.now() + GATE_DEFAULTS.callerCheckTimeoutMs);
    const where = `--stage ${stage.stage}${stage.region === undefined ? '' : ` --region ${stage.region}`}`;
    busy = await candidateFreeBeforeDeploy({ aws, functionName, deadline, where });
  } catch (error) {
    busy = `Smoke test: could not tell whether another gate holds the candidate stage (${safeMessage(error, 200)}): nothing was deployed.`;
  }
  if (busy === undefined) return;
  process.once('exit', () => {
    process.exitCode = 2;
  });
  throw frameworkError(serverless, busy, 'SMOKE_TEST_CANDIDATE_BUSY');
}

/**
 * The traffic mode's `rollback --commit` moves `live`, not the stack: the framework's own
 * `rollback:rollback` hook (osls 4 and Serverless 3: AwsRollback) is taken out of this command's
 * hooks, in place, as the lifecycle holds them. False when the framework holds them otherwise.
 */
export function skipFrameworkRollback(serverless: PluginServerless): boolean {
  const hooks = (
    serverless as { pluginManager?: { hooks?: Record<string, { pluginName?: string }[]> } }
  ).pluginManager?.hooks?.['rollback:rollback'];
  if (!Array.isArray(hooks)) return false;
  const index = hooks.findIndex((entry) => entry.pluginName === 'AwsRollback');
  if (index === -1) return false;
  hooks.splice(index, 1);
  return true;
}
