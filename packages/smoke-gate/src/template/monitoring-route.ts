// The route heartbeat: EventBridge calls the public route itself (an API destination), so route
// -> Lambda -> line is walked between deploys, not only the function; and its alarm.

import { heartbeatsOf } from './monitoring-config.ts';
import { alarm, type MonitoredService } from './monitoring-resources.ts';

/** May invoke the heartbeat's destination and nothing else (under the roles' boundary). */
function heartbeatRole(service: MonitoredService) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: {
        'Fn::Sub': `${service.name}-${service.stage}-${'$'}{AWS::Region}-route-heartbeat`,
      },
      ...(service.boundary === undefined ? {} : { PermissionsBoundary: service.boundary }),
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'invoke-the-route-heartbeat-destination',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'events:InvokeApiDestination',
                Resource: { 'Fn::GetAtt': ['RouteHeartbeatDestination', 'Arn'] },
              },
            ],
          },
        },
      ],
    },
  };
}

/** The route heartbeat: rule -> API destination -> the public route, with its marker header. */
export function routeHeartbeat(service: MonitoredService): Record<string, unknown> {
  const route = service.monitoring.routeLine;
  if (route === undefined || !heartbeatsOf(service.monitoring).route) return {};
  const name = `${service.name}-${service.stage}-route-heartbeat`;
  return {
    // EventBridge requires an authorization type; the "API key" is a fixed, public marker header
    // (kept in a Secrets Manager secret of EventBridge's own). It is never a credential.
    RouteHeartbeatConnection: {
      Type: 'AWS::Events::Connection',
      Properties: {
        Name: name,
        Description: "Marks the route heartbeat's calls with a public, non-secret header",
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: route.header.name, ApiKeyValue: route.header.value },
        },
      },
    },
    RouteHeartbeatDestination: {
      Type: 'AWS::Events::ApiDestination',
      Properties: {
        Name: name,
        Description: "The stack's own public health route",
        ConnectionArn: { 'Fn::GetAtt': ['RouteHeartbeatConnection', 'Arn'] },
        InvocationEndpoint: service.endpointUrl,
        HttpMethod: 'GET',
        InvocationRateLimitPerSecond: 1,
      },
    },
    RouteHeartbeatRole: heartbeatRole(service),
    RouteHeartbeatRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: name,
        Description: 'Route heartbeat (EventBridge calls GET on the public route)',
        ScheduleExpression: service.monitoring.schedule,
        State: { 'Fn::If': ['HeartbeatOn', 'ENABLED', 'DISABLED'] },
        Targets: [
          {
            Id: 'route',
            Arn: { 'Fn::GetAtt': ['RouteHeartbeatDestination', 'Arn'] },
            RoleArn: { 'Fn::GetAtt': ['RouteHeartbeatRole', 'Arn'] },
          },
        ],
      },
    },
    RouteHeartbeatAlarm: alarm(
      service,
      'route-heartbeat-missing',
      'SmokeRouteLines',
      "No smoke line came through the route in the window (API Gateway route, stage, throttling, integration or permission broken, or the route heartbeat off). Any call to the route counts, and anyone can send the heartbeat's public marker header, so outside traffic can keep this alarm OK while the heartbeat's API destination is broken; it still proves the route itself.",
      true,
    ),
  };
}
