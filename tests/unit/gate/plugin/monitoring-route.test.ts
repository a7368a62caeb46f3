// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS.
import { describe, expect, it } from 'vitest';
import { readContract } from '../../../../packages/smoke-gate/src/core/contract-config.ts';
import { readMonitoring } from '../../../../packages/smoke-gate/src/plugin/monitoring-config.ts';
import { routeHeartbeat } from '../../../../packages/smoke-gate/src/plugin/monitoring-route.ts';

const service = (monitoring: Record<string, unknown>, format = 'lambda-text') => {
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

describe('the generated route heartbeat', () => {
  it('walk the route with the configured marker header, under the roles’ boundary', () => {
    // Act
    const route = routeHeartbeat(
      service({ routeLine: { key: 'via', values: ['http'], header: { name: 'x-orders-beat' } } }),
    );
    // Assess
    expect(route).toMatchObject({
      RouteHeartbeatConnection: {
        Properties: {
          AuthParameters: {
            ApiKeyAuthParameters: { ApiKeyName: 'x-orders-beat', ApiKeyValue: 'http' },
          },
        },
      },
      RouteHeartbeatDestination: {
        Properties: { InvocationEndpoint: 'https://api.example.com/ping' },
      },
      RouteHeartbeatRole: { Properties: { PermissionsBoundary: service({}).boundary } },
    });
  });
});
