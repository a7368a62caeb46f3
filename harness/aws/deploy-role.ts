// The pipeline's deploy role, against moto: credentials of `role/<name>` in moto's account
// (STS AssumeRole), as a CI job holds them. moto's default caller is a user, whom the deployment
// bucket's guard would lock out (docs/signed-records.md), so the suites that deploy use these.
// The role is created as the deploy trust policy would make it assumable (by the account); moto
// evaluates no IAM policy here, so the role needs no permissions.
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { MOTO_ACCOUNT, type Moto } from './moto.ts';

/** The environment of a process acting as `role/<roleName>` in moto's account. */
export async function deployRoleEnv(
  moto: Moto,
  roleName: string,
): Promise<{
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_SESSION_TOKEN: string;
}> {
  const iam = new IAMClient(moto.settings());
  await iam
    .send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'EntityAlreadyExists') throw error;
    })
    .finally(() => iam.destroy());
  const sts = new STSClient(moto.settings());
  try {
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/${roleName}`,
        RoleSessionName: 'ci-deploy',
      }),
    );
    if (Credentials?.AccessKeyId === undefined || Credentials.SecretAccessKey === undefined) {
      throw new Error(`moto assumed no credentials for role ${roleName}`);
    }
    return {
      AWS_ACCESS_KEY_ID: Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: Credentials.SessionToken ?? '',
    };
  } finally {
    sts.destroy();
  }
}
