// A target's AWS settings in a run over many: its region, its profile, its role (assumed once,
// from the profile or the run's credentials) and the account they act in.

import type { AwsSettings } from '../aws/aws-clients.ts';
import { asRole, type RoleCache } from '../aws/role-credentials.ts';
import { roleAccount } from '../aws/target-access.ts';
import type { FleetTarget } from './fleet-targets.ts';

/** The run's id in role session names: the CI run's, else the time it started. */
export const runIdOf = (env: NodeJS.ProcessEnv): string =>
  /^\d{1,20}$/.test(env.GITHUB_RUN_ID ?? '') ? `${env.GITHUB_RUN_ID}` : `${Date.now()}`;

/**
 * A target's AWS settings: its region, its profile, its role (assumed once, from the profile or
 * the run's credentials) and the account they act in; or the one-line reason its role cannot be
 * assumed (that target alone could not be judged).
 */
export async function targetAws(
  target: FleetTarget,
  run: AwsSettings,
  roles: RoleCache,
): Promise<{ aws: AwsSettings; problem?: string }> {
  const { access } = target;
  const base: AwsSettings = {
    ...run,
    region: target.region ?? run.region,
    ...(access?.profile === undefined ? {} : { profile: access.profile }),
  };
  let aws = base;
  if (access?.roleArn !== undefined) {
    const assumed = await asRole(
      base,
      { arn: access.roleArn, externalId: access.externalId },
      roles,
    );
    if (assumed.problem !== undefined) {
      // The role's own account: where the target would have been read.
      return {
        aws: { ...assumed.aws, account: roleAccount(access.roleArn) ?? null },
        problem: assumed.problem,
      };
    }
    aws = assumed.aws;
  }
  return { aws: { ...aws, account: await roles.accountOf(aws) } };
}
