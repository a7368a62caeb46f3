import type { Deadline } from '../../core/deadline.ts';
import { CouldNotJudgeError } from '../../core/errors.ts';
import { EXIT_COULD_NOT_JUDGE, EXIT_VERIFIED } from '../../core/verdicts.ts';
import { checkHistory } from '../../deployments/history.ts';
import { formatHistory } from '../../report/report.ts';
import { oneOf } from '../flag-values.ts';
import type { Values } from '../flags.ts';
import { coloursOf, type Out, readOrFail } from '../output.ts';
import { awsAsRoleOf } from '../role-settings.ts';
import { requiredService } from '../service-name.ts';

/** `smoke-gate history`: the stage's deployments, which is live, what a rollback restores. */
export async function runHistory(values: Values, out: Out, deadline: Deadline): Promise<number> {
  const { io } = out;
  const stage = oneOf(values.stage, '--stage', 'history');
  if (stage === undefined) throw new CouldNotJudgeError('history needs --stage <stage>');
  if (values.targets !== undefined)
    throw new CouldNotJudgeError('history reads one stage: leave out --targets');
  const aws = await awsAsRoleOf(values, io.env, deadline);
  if ('problem' in aws) return out.fail(EXIT_COULD_NOT_JUDGE, aws.problem);
  const request = {
    stage,
    service: requiredService(values),
    aws,
    env: io.env,
    deadline,
  };
  const read = await readOrFail(out, 'history', () => checkHistory(request));
  if ('code' in read) return read.code;
  out.write(formatHistory(read.report, coloursOf(io)), read.report);
  // A rewound stage's history is what someone left in the bucket: it could not be read as ours.
  return read.report.rewound === null ? EXIT_VERIFIED : EXIT_COULD_NOT_JUDGE;
}
