import { describe, expect, it } from 'vitest';
import { routeHeartbeat } from '../../../../packages/smoke-gate/src/template/monitoring-route.ts';
import { monitoredService } from '../../../helpers/monitored-service.ts';

const service = monitoredService;

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
