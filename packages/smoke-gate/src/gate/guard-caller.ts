// Before `serverless deploy` uploads anything: the deployment bucket's guard (template/
// bucket-guard.ts) denies object writes under the service's prefix to every principal but the
// deploy role. A deploy run as anyone else would install the guard and be denied its own uploads
// from then on, the one that would remove the guard included. So the caller is compared with the
// role the guard exempts first, and a deploy that would lock itself out stops in one line.

import type { AwsSettings } from '../aws/aws-clients.ts';
import { callerIdentity, principalArnOf } from '../aws/caller-identity.ts';
import type { Deadline } from '../core/deadline.ts';

/**
 * Why this caller would be locked out by the guard, or undefined: its principal (an assumed-role
 * session's role) must be role `deployRoleName` (its last path segment: STS names no path) in the
 * caller's own account.
 */
export function lockedOutBecause(
  caller: { arn: string },
  guard: { deployRoleName: string; setting: string; exemptRoles?: readonly string[] | undefined },
): string | undefined {
  const principal = principalArnOf(caller.arn);
  const allowed = [guard.deployRoleName, ...(guard.exemptRoles ?? [])];
  const role = /^arn:aws[a-z-]*:iam::\d{12}:role\/(.+)$/.exec(principal)?.[1];
  if (role !== undefined && allowed.some((name) => name.split('/').at(-1) === role)) {
    return undefined;
  }
  const others = guard.exemptRoles ?? [];
  const who =
    others.length === 0
      ? `role ${guard.deployRoleName}, the only principal`
      : `role ${guard.deployRoleName} or ${others.join(', ')} (custom.smokeTest.guardExemptRoles), the principals`;
  return `Smoke test: this deploy would lock itself out of its own deployment bucket: its caller ${caller.arn} is not ${who} the bucket guard lets write there (${guard.setting}). Deploy as that role, or set ${guard.setting} to the role you deploy with. Nothing was uploaded.`;
}

/** Asks STS who deploys and refuses, in one line, a caller the guard would lock out. */
export async function checkGuardCaller(input: {
  aws: AwsSettings;
  deadline: Deadline;
  guard: { deployRoleName: string; setting: string; exemptRoles?: readonly string[] | undefined };
}): Promise<string | undefined> {
  const caller = await callerIdentity(input.aws, input.deadline);
  return lockedOutBecause(caller, input.guard);
}
