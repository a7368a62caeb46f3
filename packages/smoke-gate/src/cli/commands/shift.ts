// `smoke-gate promote` and `smoke-gate abort`: a shift of `live` left halfway finished or undone
// (traffic/shift-finish.ts), for one stage, with the same stage, region and account flags as the
// other commands. Run as the deploy role: they move the alias.

import { checkCallDestination, createCloudFormationClient } from '../../aws/aws-clients.ts';
import { lambdaClientFor } from '../../aws/lambda-client.ts';
import { stackName } from '../../aws/stack-outputs.ts';
import type { Deadline } from '../../core/deadline.ts';
import { CouldNotJudgeError } from '../../core/errors.ts';
import { EXIT_COULD_NOT_JUDGE, EXIT_VERIFIED } from '../../core/verdicts.ts';
import { finishShift } from '../../traffic/shift-finish.ts';
import { oneOf } from '../flag-values.ts';
import type { Values } from '../flags.ts';
import { type Out, readOrFail } from '../output.ts';
import { awsAsRoleOf } from '../role-settings.ts';
import { requiredService } from '../service-name.ts';

/** Runs `promote` or `abort` on the stage the flags name: exit 0, or 2 with one line. */
async function runFinish(
  action: 'promote' | 'abort',
  values: Values,
  out: Out,
  deadline: Deadline,
): Promise<number> {
  const stage = oneOf(values.stage, '--stage', action);
  if (stage === undefined) throw new CouldNotJudgeError(`${action} needs --stage <stage>`);
  if (values.targets !== undefined) {
    throw new CouldNotJudgeError(`${action} moves one stage: leave out --targets`);
  }
  const aws = await awsAsRoleOf(values, out.io.env, deadline);
  if ('problem' in aws) return out.fail(EXIT_COULD_NOT_JUDGE, aws.problem);
  const stack = stackName(requiredService(values), stage);
  const done = await readOrFail(out, action, async () => {
    await checkCallDestination(aws, out.io.env);
    const clients = {
      lambda: lambdaClientFor(aws),
      cloudFormation: createCloudFormationClient(aws),
    };
    return finishShift(clients, { stack, action }, deadline);
  });
  if ('code' in done) return done.code;
  out.write(`${done.report.note}\n`, done.report);
  return EXIT_VERIFIED;
}

export const runPromote = (values: Values, out: Out, deadline: Deadline) =>
  runFinish('promote', values, out, deadline);

export const runAbort = (values: Values, out: Out, deadline: Deadline) =>
  runFinish('abort', values, out, deadline);
