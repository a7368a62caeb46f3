import { type AwsSettings, createCloudFormationClient } from '../aws/aws-clients.ts';
import type { Deadline } from '../core/deadline.ts';
import type { ServerlessLike } from '../core/framework.ts';
import { stampedFunction, type TemplateResources } from '../deployments/build-stamp.ts';
import { deploymentOfKey, liveDeployment } from '../deployments/deployment-history.ts';
import type { DeploymentIdentity } from '../deployments/deployment-record.ts';

/**
 * The deployment this `serverless deploy` made, from the framework's own state when the deploy
 * step ends (its artifact directory and the compiled template's build metadata), not from the
 * stack later: another pipeline may deploy the same stage meanwhile. When the framework found
 * nothing to deploy, the command vouches for what is live.
 */
export async function ownDeployment(
  serverless: ServerlessLike,
  aws: AwsSettings,
  deadline: Deadline,
): Promise<DeploymentIdentity | undefined> {
  const directoryName = serverless.service.package?.artifactDirectoryName;
  const directory =
    typeof directoryName === 'string' ? deploymentOfKey(`${directoryName}/`) : undefined;
  if (serverless.service.provider?.shouldNotDeploy === true || directory === undefined) {
    const stack = serverless.getProvider('aws').naming.getStackName();
    return liveDeployment(createCloudFormationClient(aws), stack, deadline);
  }
  const template = serverless.service.provider?.compiledCloudFormationTemplate;
  const { commit, version } = stampedFunction(template?.Resources as TemplateResources | undefined);
  return { directory, commit, version };
}
