// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS.
// A service as the monitoring generator sees it: orders/prod, its ping function, a boundary.
import { readContract } from '../../packages/smoke-gate/src/core/contract-config.ts';
import { readMonitoring } from '../../packages/smoke-gate/src/template/monitoring-config.ts';

/** `monitoring` read as custom.smokeTest.monitoring, the line in `format`. */
export const monitoredService = (monitoring: Record<string, unknown>, format = 'lambda-text') => {
  const names = { name: 'orders', stage: 'prod' };
  return {
    ...names,
    functionId: 'PingLambdaFunction',
    logGroupId: 'PingLogGroup',
    endpointUrl: 'https://api.example.com/ping',
    boundary: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/b' },
    contract: readContract({ logLine: { format, json: { msg: 'ping_done' } } }, '/ping'),
    monitoring: readMonitoring(monitoring, names) as NonNullable<ReturnType<typeof readMonitoring>>,
  };
};
