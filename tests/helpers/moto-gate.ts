// What the moto suites ask of a stage they deployed: its history through the CLI, as a user
// reads it, and the deployment its stack runs now, as the gate reads it.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { MOTO_CREDENTIALS_ENV, type Moto } from '../../harness/aws/moto.ts';
import { createDeadline } from '../../packages/smoke-gate/src/core/deadline.ts';
import { liveDeployment } from '../../packages/smoke-gate/src/deployments/deployment-history.ts';
import type { HistoryReport } from '../../packages/smoke-gate/src/deployments/history.ts';
import { runCliProcess } from './cli.ts';

/**
 * `petsage-smoke <command> --json` for a stage of this service in us-east-1 against moto, run from
 * `cwd` if given (the service named, so it runs from any folder).
 */
export const gateJsonRun = (
  moto: Moto,
  command: 'history' | 'status',
  stage: string,
  cwd?: string,
) =>
  runCliProcess(
    [
      command,
      ...['--service', 'petsage-smoke-test', '--stage', stage],
      ...['--endpoint-url', moto.endpoint, '--region', 'us-east-1', '--json'],
    ],
    { ...MOTO_CREDENTIALS_ENV },
    cwd === undefined ? {} : { cwd },
  );

/** `petsage-smoke history --json` for a stage against moto: the run and its parsed report. */
export async function historyOf(moto: Moto, stage: string, cwd?: string) {
  const run = await gateJsonRun(moto, 'history', stage, cwd);
  return { run, report: JSON.parse(run.stdout) as HistoryReport };
}

/** The deployment directory a stack runs now (`?` when its template names none). */
export const liveDirectoryOf = async (moto: Moto, stack: string): Promise<string> =>
  (
    await liveDeployment(
      new CloudFormationClient(moto.settings()),
      stack,
      createDeadline(Date.now() + 30_000),
    )
  )?.directory ?? '?';
