// The framework's object read into the plain values the gate's steps take (gate/framework-stage.ts):
// the one place after a deploy that reads the framework's provider, naming and service.
import type { TemplateResources } from '../deployments/build-stamp.ts';
import type { DeployedStack } from '../gate/gate-crash.ts';
import type { FrameworkStage } from '../gate/gate-steps.ts';
import { frameworkAws } from './framework-aws.ts';
import type { ServerlessLike } from './serverless-like.ts';
import { stagePlaceOf } from './stage-place.ts';

/** The stage the framework runs, as the gate's steps take it (`--stage` when it names none). */
export function readFrameworkStage(
  serverless: ServerlessLike,
  cliOptions: Record<string, unknown>,
): FrameworkStage {
  const provider = serverless.getProvider('aws');
  const place = stagePlaceOf(serverless);
  const { pluginManager } = serverless;
  return {
    service: place.service,
    stage: provider.getStage?.() ?? String(cliOptions.stage ?? 'dev'),
    region: provider.getRegion?.(),
    stack: place.stack,
    custom: serverless.service.custom,
    place,
    aws: () => frameworkAws(serverless),
    deployed: () => ({
      artifactDirectoryName: serverless.service.package?.artifactDirectoryName,
      shouldNotDeploy: serverless.service.provider?.shouldNotDeploy === true,
      resources: serverless.service.provider?.compiledCloudFormationTemplate?.Resources as
        | TemplateResources
        | undefined,
    }),
    spawnRollback: pluginManager === undefined ? undefined : () => pluginManager.spawn('rollback'),
  };
}

/**
 * Where a deploy went, as far as the framework can still say: when reading it is what broke, the
 * framework's default stack name from the service and `--stage`.
 */
export function deployedStackOf(
  serverless: ServerlessLike,
  cliOptions: Record<string, unknown>,
): DeployedStack {
  try {
    const { stack, stage, region, service } = readFrameworkStage(serverless, cliOptions);
    return { stack, stage, region, service };
  } catch {
    const service = serverless.service.service ?? 'service';
    const stage = String(cliOptions.stage ?? 'dev');
    return { stack: `${service}-${stage}`, stage, region: undefined, service };
  }
}
