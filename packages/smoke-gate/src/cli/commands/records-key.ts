// `smoke-gate records-key`: the pin of a service's records key, found once by its alias
// (alias/<service>-smoke-records) at setup, to paste into serverless.yml. From then on the gate
// reads the key by the pinned ARN only and checks its public key: the alias is never asked again.

import { checkCallDestination } from '../../aws/aws-clients.ts';
import { kmsClientFor } from '../../aws/kms-client.ts';
import type { Deadline } from '../../core/deadline.ts';
import { CouldNotJudgeError } from '../../core/errors.ts';
import { EXIT_COULD_NOT_JUDGE, EXIT_VERIFIED } from '../../core/verdicts.ts';
import { recordsKeyAlias } from '../../deployments/record-signature.ts';
import { readRecordsKey } from '../../deployments/records-key.ts';
import type { RecordsKeyPin } from '../../deployments/records-key-pin.ts';
import type { Values } from '../flags.ts';
import { type Out, readOrFail } from '../output.ts';
import { awsAsRoleOf } from '../role-settings.ts';
import { requiredService } from '../service-name.ts';

/** The pin as serverless.yml takes it. */
export const pinYaml = (pin: RecordsKeyPin): string =>
  `custom:\n  smokeTest:\n    recordsKey:\n      arn: ${pin.arn}\n      publicKeySha256: ${pin.publicKeySha256}\n`;

/** Finds the service's records key by its alias and prints its pin (exit 0), or why not (2). */
export async function runRecordsKey(values: Values, out: Out, deadline: Deadline): Promise<number> {
  const { io } = out;
  const aws = await awsAsRoleOf(values, io.env, deadline);
  if ('problem' in aws) return out.fail(EXIT_COULD_NOT_JUDGE, aws.problem);
  const alias = recordsKeyAlias(requiredService(values));
  const read = await readOrFail(out, 'records-key', async () => {
    await checkCallDestination(aws, io.env);
    const key = await readRecordsKey(kmsClientFor(aws), alias, deadline);
    if ('problem' in key) throw new CouldNotJudgeError(key.problem);
    return { arn: key.key.arn, publicKeySha256: key.publicKeySha256 };
  });
  if ('code' in read) return read.code;
  out.write(pinYaml(read.report), read.report);
  return EXIT_VERIFIED;
}
