import { describe, expect, it } from 'vitest';
import {
  heartbeatsOf,
  type MonitoringSettings,
  readMonitoring,
} from '../../../../packages/smoke-gate/src/template/monitoring-config.ts';

const service = { name: 'orders', stage: 'prod' };

describe('readMonitoring (custom.smokeTest.monitoring)', () => {
  it('is on by default, named after the service, with no route heartbeat unless asked', () => {
    expect(readMonitoring(undefined, service)).toStrictEqual({
      schedule: 'rate(5 minutes)',
      heartbeat: true,
      directHeartbeat: false,
      windowSeconds: 900,
      namespace: 'SmokeGate/orders/prod',
      dimensions: {},
      routeLine: undefined,
      failureLine: undefined,
      alarmEmail: '',
      alarmTopicArn: '',
      dashboard: true,
      deployRoleName: 'orders-deploy',
      queryFields: [],
    });
  });

  it.each([
    [{}, { direct: false, route: false }],
    [{ directHeartbeat: true }, { direct: true, route: false }],
    [{ routeLine: { key: 'via', values: ['http'] } }, { direct: false, route: true }],
    [
      { heartbeat: false, directHeartbeat: true, routeLine: { key: 'via', values: ['http'] } },
      { direct: false, route: false },
    ],
  ])('runs the heartbeats %j asks for: %j', (monitoring, heartbeats) => {
    expect(heartbeatsOf(readMonitoring(monitoring, service) as MonitoringSettings)).toStrictEqual(
      heartbeats,
    );
  });

  it('generates nothing for monitoring: false', () => {
    expect(readMonitoring(false, service)).toBeUndefined();
  });

  it('reads a route line, its marker header defaulting to the first value', () => {
    expect(
      readMonitoring({ routeLine: { key: 'via', values: ['http'] } }, service)?.routeLine,
    ).toStrictEqual({
      key: 'via',
      values: ['http'],
      header: { name: 'x-smoke-heartbeat', value: 'http' },
    });
  });

  it('takes params as the framework passes them: strings for numbers and booleans', () => {
    expect(
      readMonitoring({ windowSeconds: '600', heartbeat: 'false', dashboard: 'false' }, service),
    ).toMatchObject({
      windowSeconds: 600,
      heartbeat: false,
      dashboard: false,
    });
  });

  it.each([
    [
      { shedule: 'rate(1 minute)' },
      'custom.smokeTest.monitoring has an unknown key "shedule": did you mean "schedule"?',
    ],
    [{ schedule: 'every 5 minutes' }, /monitoring.schedule must be rate/],
    [{ windowSeconds: 90 }, /windowSeconds must be a multiple of 60/],
    [{ routeLine: { key: 'via', vaules: ['http'] } }, /did you mean "values"/],
    [{ failureLine: {} }, /failureLine must hold 1 to 8 keys/],
    [{ queryFields: ['a b'] }, /queryFields\[0\] is not a field name/],
  ])('refuses %j in one line', (raw, message) => {
    expect(() => readMonitoring(raw, service)).toThrow(message);
  });
});
