// The service the framework packages, read into the plain values template/ takes: names, where
// its deployments go, and the parts of its configuration the gate writes into (by reference, so
// the gate's events and template additions land in the framework's own objects).
import type { GateTemplate } from '../template/gate-template.ts';
import type { FunctionConfig } from '../template/service-contract.ts';
import type { PackagedService } from '../template/service-gate.ts';
import type { ServerlessLike } from './serverless-like.ts';

/** The framework's logical name of a function, where its naming is not at hand. */
const logicalName = (fn: string): string =>
  `${fn.charAt(0).toUpperCase()}${fn.slice(1)}`
    .replaceAll('-', 'Dash')
    .replaceAll('_', 'Underscore');

/** The service as the framework holds it now (read again at each hook: the template comes late). */
export function packagedService(serverless: ServerlessLike): PackagedService {
  const { service } = serverless;
  const provider = serverless.getProvider('aws');
  const { naming } = provider;
  const iam = service.provider?.iam as
    | { role?: { permissionsBoundary?: unknown }; deploymentRole?: unknown }
    | undefined;
  return {
    name: service.service ?? 'service',
    stage: provider.getStage?.() ?? 'dev',
    region: provider.getRegion?.() ?? 'us-east-1',
    serviceDir: serverless.serviceDir ?? process.cwd(),
    deploymentPrefix: provider.getDeploymentPrefix?.() ?? 'serverless',
    custom: service.custom,
    functions: service.functions as Record<string, FunctionConfig> | undefined,
    template: service.provider?.compiledCloudFormationTemplate as GateTemplate | undefined,
    coreResources: service.provider?.coreCloudFormationTemplate?.Resources,
    lambdaLogs: service.provider?.logs?.lambda,
    boundary: iam?.role?.permissionsBoundary,
    cloudFormationRole: iam?.deploymentRole ?? service.provider?.cfnRole,
    functionId: (fn) => naming.getLambdaLogicalId?.(fn) ?? `${logicalName(fn)}LambdaFunction`,
    logGroupId: (fn) => naming.getLogGroupLogicalId?.(fn) ?? `${logicalName(fn)}LogGroup`,
  };
}
