import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { callAws } from '../aws/aws-call.ts';
import { type Deadline, sleep as realSleep, type Sleep } from '../core/deadline.ts';
import { safeMessage, safeText } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE, EXIT_FAILED } from '../core/verdicts.ts';

/** Whether the stack can take an update now, or why not (one line, and the exit code). */
export type StackReadiness = { ready: true } | { ready: false; exitCode: number; message: string };

/** How often a busy stack is asked again. */
const POLL_MS = 2_000;

/**
 * Waits, within the deadline, until the stack is not in the middle of an operation. A stuck stack
 * (UPDATE_ROLLBACK_FAILED and the like) is one line with the way out; a stack still busy at the
 * deadline is "could not judge" (exit 2). Never a raw SDK error.
 */
export async function waitForSettledStack(
  client: CloudFormationClient,
  stackName: string,
  deadline: Deadline,
  sleep: Sleep = realSleep,
): Promise<StackReadiness> {
  while (true) {
    let status: string;
    try {
      const answer = await callAws<DescribeStacksCommandOutput>(
        client,
        new DescribeStacksCommand({ StackName: stackName }),
        {
          what: `reading stack ${stackName}`,
          deadline,
          needs: 'cloudformation:DescribeStacks on the stack',
        },
      );
      status = answer.Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
    } catch (error) {
      return {
        ready: false,
        exitCode: EXIT_COULD_NOT_JUDGE,
        message: `stack ${stackName} could not be read (${safeMessage(error, 120)}); nothing was rolled back.`,
      };
    }
    if (status === 'UPDATE_ROLLBACK_FAILED') {
      return {
        ready: false,
        exitCode: EXIT_FAILED,
        message: `stack ${stackName} is UPDATE_ROLLBACK_FAILED: nothing can change it until CloudFormation continues that rollback (aws cloudformation continue-update-rollback --stack-name ${stackName}, skipping resources that cannot roll back); nothing was rolled back.`,
      };
    }
    if (/_FAILED$/.test(status) || status === 'UNKNOWN') {
      return {
        ready: false,
        exitCode: EXIT_FAILED,
        message: `stack ${stackName} is ${safeText(status, 40)}: fix it in CloudFormation (its events say why) before rolling back; nothing was rolled back.`,
      };
    }
    if (!status.endsWith('_IN_PROGRESS')) return { ready: true };
    if (deadline.remainingMs() <= POLL_MS) {
      return {
        ready: false,
        exitCode: EXIT_COULD_NOT_JUDGE,
        message: `stack ${stackName} was still ${safeText(status, 40)} at the deadline (another operation is running on it): could not judge; nothing was rolled back.`,
      };
    }
    await sleep(POLL_MS);
  }
}
