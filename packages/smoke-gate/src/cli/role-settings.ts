// `--role-arn` / `--external-id` for one target (verify, status, history): the run's AWS settings
// acting as that role in the stage's account, or the one line why it cannot be assumed.

import type { AwsSettings } from '../aws/aws-clients.ts';
import { asRole, createRoleCache } from '../aws/role-credentials.ts';
import type { Deadline } from '../core/deadline.ts';
import { accessOf, awsSettingsOf } from './flag-values.ts';
import type { Values } from './flags.ts';

/** The settings of the flags, as the role of --role-arn when there is one (assumed once, here). */
export async function awsAsRoleOf(
  values: Values,
  env: NodeJS.ProcessEnv,
  deadline: Deadline,
): Promise<AwsSettings | { problem: string }> {
  const aws = awsSettingsOf(values, env);
  const access = accessOf(values);
  if (access?.roleArn === undefined) return aws;
  const roles = createRoleCache({ runId: `${Date.now()}`, deadline });
  const assumed = await asRole(aws, { arn: access.roleArn, externalId: access.externalId }, roles);
  return assumed.problem === undefined ? assumed.aws : { problem: assumed.problem };
}
