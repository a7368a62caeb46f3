import type { Deadline } from '../../core/deadline.ts';
import { CouldNotJudgeError } from '../../core/errors.ts';
import { unicodeOk } from '../../core/sparkline.ts';
import { EXIT_COULD_NOT_JUDGE, EXIT_FAILED, EXIT_VERIFIED } from '../../core/verdicts.ts';
import { formatStatus } from '../../report/report.ts';
import { checkStatus, type StatusRequest } from '../../status/status.ts';
import { isFleet, oneOf, staleAfterOf } from '../flag-values.ts';
import type { Values } from '../flags.ts';
import { coloursOf, type Out, readOrFail } from '../output.ts';
import { awsAsRoleOf } from '../role-settings.ts';
import { requiredService } from '../service-name.ts';

/** `smoke-gate status`: the same deadline, AWS settings and exit codes as verify. */
export async function runStatus(values: Values, out: Out, deadline: Deadline): Promise<number> {
  if (isFleet(values)) {
    const { runFleetStatus } = await import('./fleet.ts');
    return runFleetStatus(values, out, deadline);
  }
  const { io } = out;
  const stage = oneOf(values.stage, '--stage', 'status');
  if (stage === undefined) throw new CouldNotJudgeError('status needs --stage <stage>');
  const aws = await awsAsRoleOf(values, io.env, deadline);
  if ('problem' in aws) return out.fail(EXIT_COULD_NOT_JUDGE, aws.problem);
  const request: StatusRequest = {
    stage,
    service: requiredService(values),
    aws,
    env: io.env,
    deadline,
    staleAfterMs: staleAfterOf(values) * 60_000,
    now: io.now,
  };
  const read = await readOrFail(out, 'status', () => checkStatus(request));
  if ('code' in read) return read.code;
  const chart = { unicode: unicodeOk(io.env), width: io.stdout.columns ?? 80 };
  out.write(formatStatus(read.report, coloursOf(io), chart), read.report);
  // A rewound stage's records say nothing of what is live: status cannot tell.
  if (read.report.live.rewound !== undefined) return EXIT_COULD_NOT_JUDGE;
  return read.report.ok ? EXIT_VERIFIED : EXIT_FAILED;
}
