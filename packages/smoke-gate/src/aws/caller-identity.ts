// Who a set of credentials acts as: STS GetCallerIdentity (which needs no permission), and the
// principal an IAM condition on aws:PrincipalArn sees for it.
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { Deadline } from '../core/deadline.ts';
import type { AwsSettings } from './aws-clients.ts';
import { stsUnder } from './role-credentials.ts';

/** The caller's ARN and account. */
export async function callerIdentity(
  settings: AwsSettings,
  deadline: Deadline,
): Promise<{ arn: string; account: string }> {
  const answer = (await stsUnder(deadline)(
    settings,
    new GetCallerIdentityCommand({}),
  )) as GetCallerIdentityCommandOutput;
  return { arn: answer.Arn ?? '', account: answer.Account ?? '' };
}

/**
 * The principal ARN a policy condition sees for a caller: an assumed-role session
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) is its role
 * (`arn:aws:iam::<account>:role/<role>`; STS names no path, so the role's path is not in it);
 * any other caller is itself.
 */
export function principalArnOf(callerArn: string): string {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[^/]+$/.exec(
    callerArn,
  );
  return session === null ? callerArn : `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
}
