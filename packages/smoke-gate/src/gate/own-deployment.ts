import { type AwsSettings, createCloudFormationClient } from '../aws/aws-clients.ts';
import type { Deadline } from '../core/deadline.ts';
import { stampedFunction } from '../deployments/build-stamp.ts';
import { deploymentOfKey, liveDeployment } from '../deployments/deployment-history.ts';
import type { DeploymentIdentity } from '../deployments/deployment-record.ts';
import type { FrameworkStage } from './gate-steps.ts';

/**
 * The deployment this `serverless deploy` made, from the framework's own state when the deploy
 * step ends (its artifact directory and the compiled template's build metadata), not from the
 * stack later: another pipeline may deploy the same stage meanwhile. When the framework found
 * nothing to deploy, the command vouches for what is live.
 */
export async function ownDeployment(
  framework: Pick<FrameworkStage, 'stack' | 'deployed'>,
  aws: AwsSettings,
  deadline: Deadline,
): Promise<DeploymentIdentity | undefined> {
  const deployed = framework.deployed();
  const directoryName = deployed.artifactDirectoryName;
  const directory =
    typeof directoryName === 'string' ? deploymentOfKey(`${directoryName}/`) : undefined;
  if (deployed.shouldNotDeploy || directory === undefined) {
    return liveDeployment(createCloudFormationClient(aws), framework.stack, deadline);
  }
  const { commit, version } = stampedFunction(deployed.resources);
  return { directory, commit, version };
}
