// When the gate itself breaks after `serverless deploy` (a crash, a framework it does not know,
// a permission it lacks), CloudFormation has already finished: the new deployment is live. Say
// so, and the way out, instead of letting the framework print only that the deploy failed.

import { SmokeTestFailedError } from '../core/framework.ts';
import { CLI_NAME } from '../core/product.ts';
import { safeText } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE } from '../core/verdicts.ts';
import { interruptedBlock, type NextStep } from '../report/interrupted.ts';
import type { FrameworkStage } from './gate-steps.ts';

/** Where the deploy went: what the way-out commands need. */
export type DeployedStack = Pick<FrameworkStage, 'stack' | 'stage' | 'region' | 'service'>;

/** The error's first line, escaped (its stack and the rest stay out of the summary). */
const firstLine = (error: unknown): string =>
  safeText((error instanceof Error ? error.message : String(error)).split('\n')[0]);

/** The commands to see where a deploy ended and to go back. */
export function nextSteps(deployed: DeployedStack): NextStep[] {
  const region = deployed.region === undefined ? '' : ` --region ${deployed.region}`;
  const where = `--stage ${deployed.stage}${region}`;
  return [
    // Each with npx: a new terminal has no `serverless` on its PATH, the service's node_modules has.
    { what: 'verify it now', command: `npx serverless smoke ${where}` },
    {
      what: 'see the deployments',
      command: `npx ${CLI_NAME} history --service ${deployed.service} ${where}`,
    },
    {
      what: 'go back',
      command: `npx serverless rollback ${where} --commit <a verified commit from history>`,
    },
  ];
}

/** The way on from a shift left halfway (the traffic mode): finish it, undo it, or look. */
export function shiftNextSteps(deployed: DeployedStack): NextStep[] {
  const region = deployed.region === undefined ? '' : ` --region ${deployed.region}`;
  const where = `--service ${deployed.service} --stage ${deployed.stage}${region}`;
  return [
    {
      what: 'finish the shift (live all on the new version)',
      command: `npx ${CLI_NAME} promote ${where}`,
    },
    { what: 'undo it (live all on the old version)', command: `npx ${CLI_NAME} abort ${where}` },
    { what: 'see where live is', command: `npx ${CLI_NAME} history ${where}` },
  ];
}

/** The one error the framework prints for a gate that broke after the stack deployed: exit 2. */
export function deployedNotVerified(error: unknown, deployed: DeployedStack): SmokeTestFailedError {
  return new SmokeTestFailedError(
    interruptedBlock(
      `Smoke test could not run after the stack deployed: ${firstLine(error)}\nStack ${deployed.stack} IS deployed: its new deployment is live and NOT verified (nothing was recorded or rolled back).`,
      nextSteps(deployed),
    ).trimEnd(),
    EXIT_COULD_NOT_JUDGE,
  );
}
