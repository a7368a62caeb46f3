import { describe, expect, it } from 'vitest';
import { readContract } from '../../../../packages/smoke-gate/src/core/contract-config.ts';
import {
  addGateTemplate,
  type GateTemplate,
  heartbeatEvent,
} from '../../../../packages/smoke-gate/src/template/gate-template.ts';
import { readMonitoring } from '../../../../packages/smoke-gate/src/template/monitoring-config.ts';

const base = {
  name: 'orders',
  stage: 'prod',
  functionId: 'PingLambdaFunction',
  logGroupId: 'PingLogGroup',
  endpointUrl: 'https://api.example.com/ping',
  boundary: undefined,
  contract: readContract({ logLine: { json: { msg: 'ping_done' } } }, '/ping'),
  deploymentPrefix: 'serverless',
};

describe('addGateTemplate', () => {
  it('keeps the template’s own entries and adds the gate’s', () => {
    // Prepare
    const template: GateTemplate = {
      Metadata: { Mine: 1 },
      Resources: { Mine: { Type: 'AWS::SNS::Topic' } },
      Outputs: { Mine: { Value: 'x' } },
    };
    // Act
    addGateTemplate(template, {
      ...base,
      monitoring: readMonitoring({ directHeartbeat: true }, base),
    });
    // Assess
    expect(template.Metadata).toMatchObject({
      Mine: 1,
      SmokeGate: { DeploymentPrefix: 'serverless', Contract: { path: '/ping' } },
    });
    expect(template.Resources).toHaveProperty('Mine');
    expect(template.Outputs).toMatchObject({
      Mine: { Value: 'x' },
      HealthEndpointUrl: { Value: 'https://api.example.com/ping' },
      HealthLogGroupName: { Value: { Ref: 'PingLogGroup' } },
      HeartbeatAlarmName: { Value: { Ref: 'HeartbeatAlarm' } },
    });
  });

  it('generates no route heartbeat and no failure alarm the service did not describe', () => {
    // Prepare
    const template: GateTemplate = {};
    // Act
    addGateTemplate(template, { ...base, monitoring: readMonitoring({}, base) });
    // Assess
    const ids = Object.keys(template.Resources ?? {});
    expect(ids.filter((id) => /Route|Failure/.test(id))).toStrictEqual([]);
    expect(template.Outputs).not.toHaveProperty('RouteHeartbeatAlarmName');
    expect(template.Outputs).not.toHaveProperty('FailureAlarmName');
  });

  it('generates no heartbeat alarm where no heartbeat runs, and says so in its Metadata', () => {
    for (const monitoring of [{}, { heartbeat: false, directHeartbeat: true }]) {
      // Prepare
      const template: GateTemplate = {};
      // Act
      addGateTemplate(template, { ...base, monitoring: readMonitoring(monitoring, base) });
      // Assess
      expect(Object.keys(template.Resources ?? {})).not.toContain('HeartbeatAlarm');
      expect(template.Outputs).not.toHaveProperty('HeartbeatAlarmName');
      expect(template.Metadata?.SmokeGate).toMatchObject({
        WatchedLines: { directHeartbeat: false },
      });
      const dashboard = JSON.stringify(template.Resources?.SmokeDashboard);
      expect(dashboard).not.toMatch(/Smoke test alarms/);
    }
  });

  it('generates no route heartbeat with heartbeat: false, even with a route line', () => {
    // Prepare
    const template: GateTemplate = {};
    const monitoring = readMonitoring(
      { heartbeat: false, routeLine: { key: 'via', values: ['http'] } },
      base,
    );
    // Act
    addGateTemplate(template, { ...base, monitoring });
    // Assess
    const ids = Object.keys(template.Resources ?? {});
    expect(ids.filter((id) => id.startsWith('RouteHeartbeat'))).toStrictEqual([]);
    expect(ids).toContain('SmokeRouteLineMetricFilter');
  });

  it('schedules the direct heartbeat under the service’s own name', () => {
    expect(
      heartbeatEvent(base, readMonitoring({ schedule: 'rate(1 hour)' }, base) as never),
    ).toStrictEqual({
      schedule: {
        name: 'orders-prod-heartbeat',
        description: 'Smoke test heartbeat (the line keeps arriving between deploys)',
        rate: ['rate(1 hour)'],
        enabled: true,
      },
    });
  });
});
