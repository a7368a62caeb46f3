import { createCloudFormationClient } from './aws-clients.ts';
import {
  deploymentOfKey,
  liveDeployment,
  RELEASE_METADATA,
  VERSION_METADATA,
} from './deployment-history.ts';
import type { DeploymentIdentity } from './deployment-record.ts';
import type { ServerlessLike } from './framework.ts';

const text = (value: unknown): string | null =>
  typeof value === 'string' && /^[0-9A-Za-z._:+-]{1,80}$/.test(value) ? value : null;

/**
 * The deployment this `serverless deploy` made, from the framework's own state when the deploy
 * step ends (its artifact directory and the compiled template's build metadata), not from the
 * stack later: another pipeline may deploy the same stage meanwhile. When the framework found
 * nothing to deploy, the command vouches for what is live.
 */
export async function ownDeployment(
  serverless: ServerlessLike,
  aws: Record<string, unknown>,
): Promise<DeploymentIdentity | undefined> {
  const directoryName = serverless.service.package?.artifactDirectoryName;
  const directory =
    typeof directoryName === 'string' ? deploymentOfKey(`${directoryName}/`) : undefined;
  if (serverless.service.provider?.shouldNotDeploy === true || directory === undefined) {
    const stack = serverless.getProvider('aws').naming.getStackName();
    return liveDeployment(createCloudFormationClient({ base: aws }), stack);
  }
  const resources = serverless.service.provider?.compiledCloudFormationTemplate?.Resources ?? {};
  const fn = Object.values(resources).find(
    (resource) => (resource as { Type?: string }).Type === 'AWS::Lambda::Function',
  ) as { Metadata?: Record<string, unknown> } | undefined;
  return {
    directory,
    commit: text(fn?.Metadata?.[RELEASE_METADATA]),
    version: text(fn?.Metadata?.[VERSION_METADATA]),
  };
}
