import { describe, expect, it } from 'vitest';
import {
  addGateToTemplate,
  addMonitoringEvents,
  monitoringProblem,
  type PackagedService,
  type ServiceGate,
  serviceGate,
} from '../../../../packages/smoke-gate/src/template/service-gate.ts';
import { KEY_PIN } from '../../../helpers/records-key.ts';

/** A service as the plugin reads it from the framework after resolving its variables. */
const serverless = (smokeTest: Record<string, unknown>) => {
  // The framework's own deployment bucket policy (TLS only), which the guard joins.
  const template = {
    Resources: {
      ServerlessDeploymentBucketPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: { PolicyDocument: { Statement: [{ Sid: 'TLS' }] } },
      },
    },
    Outputs: {},
  } as Record<string, Record<string, unknown>>;
  const service = {
    functions: { ping: { events: [{ httpApi: { method: 'GET', path: '/ping' } }] as unknown[] } },
  };
  const framework: PackagedService = {
    name: 'orders',
    stage: 'prod',
    region: 'us-east-1',
    serviceDir: '/nonexistent',
    deploymentPrefix: 'serverless',
    custom: { smokeTest },
    functions: service.functions,
    template,
    coreResources: { ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket' } },
    lambdaLogs: undefined,
    boundary: undefined,
    cloudFormationRole: undefined,
    functionId: () => 'PingLambdaFunction',
    logGroupId: () => 'PingLogGroup',
  };
  return { framework, service, template };
};

describe('serviceGate and what it adds at package time', () => {
  it('generates the monitoring on the service’s own log group, named after it', () => {
    // Prepare
    const { framework, service, template } = serverless({
      logLine: { json: { msg: 'ping_done' } },
      monitoring: { directHeartbeat: true },
    });
    const gate = serviceGate(framework);
    if (gate instanceof Error) throw gate;
    // Act
    addMonitoringEvents(framework, gate);
    addGateToTemplate(framework, gate);
    // Assess
    expect(service.functions.ping.events.at(-1)).toMatchObject({
      schedule: { name: 'orders-prod-heartbeat', rate: ['rate(5 minutes)'] },
    });
    expect(template.Resources?.SmokeLineMetricFilter).toMatchObject({
      Properties: { LogGroupName: { Ref: 'PingLogGroup' } },
    });
    expect(template.Resources?.HeartbeatAlarm).toMatchObject({
      Properties: {
        AlarmName: 'orders-prod-heartbeat-missing',
        Namespace: 'SmokeGate/orders/prod',
      },
    });
    expect(template.Outputs).toHaveProperty('HealthEndpointUrl');
    expect(template.Metadata).toMatchObject({ SmokeGate: { Contract: { path: '/ping' } } });
  });

  it('adds no schedule that invokes the handler unless the service says it takes that event', () => {
    // Prepare
    const { framework, service } = serverless({
      logLine: { json: { msg: 'ping_done' } },
      monitoring: { routeLine: { key: 'via', values: ['http'] } },
    });
    const gate = serviceGate(framework);
    if (gate instanceof Error) throw gate;
    // Act
    addMonitoringEvents(framework, gate);
    // Assess
    expect(service.functions.ping.events).toStrictEqual([
      { httpApi: { method: 'GET', path: '/ping' } },
    ]);
  });

  it('with monitoring off adds only the contract and the outputs the gate reads', () => {
    // Prepare
    const { framework, service, template } = serverless({ monitoring: false });
    const gate = serviceGate(framework);
    if (gate instanceof Error) throw gate;
    // Act
    addMonitoringEvents(framework, gate);
    addGateToTemplate(framework, gate);
    // Assess
    expect(service.functions.ping.events).toHaveLength(1);
    expect(Object.keys(template.Resources ?? {})).toStrictEqual([
      'ServerlessDeploymentBucketPolicy',
    ]);
    expect(Object.keys(template.Outputs ?? {})).toStrictEqual([
      'HealthEndpointUrl',
      'HealthLogGroupName',
    ]);
  });

  it('returns the one-line error of a wrong key instead of throwing at load', () => {
    // Act
    const gate = serviceGate(serverless({ monitorng: {} }).framework);
    // Assess
    expect(gate).toBeInstanceOf(Error);
    expect((gate as Error).message).toBe(
      'custom.smokeTest has an unknown key "monitorng": did you mean "monitoring"?',
    );
  });

  it('refuses monitoring with no line to count, saying what to add', () => {
    // Prepare
    const { framework } = serverless({});
    const gate = serviceGate(framework) as ServiceGate;
    // Act
    const add = () => addMonitoringEvents(framework, gate);
    // Assess
    expect(add).toThrow(/give logLine.json at least one key .* or set monitoring: false/);
  });

  it('refuses a route heartbeat whose role name IAM would refuse (over 64 characters)', () => {
    // Prepare
    const { framework } = serverless({
      logLine: { json: { msg: 'ping_done' } },
      monitoring: { routeLine: { key: 'via', values: ['http'] } },
    });
    framework.name = 'orders-with-a-rather-long-service-name';
    const gate = serviceGate(framework) as ServiceGate;
    // Act
    const problem = monitoringProblem(gate);
    // Assess
    expect(problem).toMatch(
      /role name orders-with-a-rather-long-service-name-prod-us-east-1-route-heartbeat is longer than IAM's 64 characters/,
    );
  });

  it('leaves the log settings alone unless enforceLogLevel is on', () => {
    // Prepare
    const { framework } = serverless({ monitoring: false });
    // Act
    const gate = serviceGate(framework);
    // Assess
    expect(gate).toMatchObject({ enforceLogLevel: false });
  });

  it('writes the pinned records key to the template’s metadata, where history reads it', () => {
    // Prepare
    const { framework, template } = serverless({ monitoring: false, recordsKey: KEY_PIN });
    const gate = serviceGate(framework);
    if (gate instanceof Error) throw gate;
    // Act
    addGateToTemplate(framework, gate);
    // Assess
    expect(template.Metadata).toMatchObject({ SmokeGate: { RecordsKey: KEY_PIN } });
  });

  it('versions the deployment bucket from the stack’s first day, in the core template too', () => {
    // Prepare
    const { framework, template } = serverless({ monitoring: false });
    template.Resources = {
      ...template.Resources,
      ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket' },
    };
    const gate = serviceGate(framework) as ServiceGate;
    // Act
    addGateToTemplate(framework, gate);
    // Assess
    for (const resources of [framework.coreResources, template.Resources]) {
      expect(resources?.ServerlessDeploymentBucket).toStrictEqual({
        Type: 'AWS::S3::Bucket',
        Properties: { VersioningConfiguration: { Status: 'Enabled' } },
      });
    }
  });

  it.each([
    ['not a list', 'release'],
    ['a wildcard', ['*']],
    ['more than 10', Array.from({ length: 11 }, (_, i) => `r${i}`)],
  ])('refuses guardExemptRoles that is %s, in one line', (_what, value) => {
    // Act
    const gate = serviceGate(serverless({ monitoring: false, guardExemptRoles: value }).framework);
    // Assess
    expect((gate as Error).message).toMatch(
      /^custom\.smokeTest\.guardExemptRoles must be a list of at most 10 IAM role names \(no wildcard\), not /,
    );
  });

  it('pins no records key when none is set', () => {
    // Prepare
    const { framework, template } = serverless({ monitoring: false });
    const gate = serviceGate(framework) as ServiceGate;
    // Act
    addGateToTemplate(framework, gate);
    // Assess
    expect(template.Metadata?.SmokeGate).not.toHaveProperty('RecordsKey');
  });

  it('refuses, at package time, a records key named by its alias: it must be pinned', () => {
    // Act
    const gate = serviceGate(
      serverless({ monitoring: false, recordsKey: 'alias/orders-smoke-records' }).framework,
    );
    // Assess
    expect(gate).toBeInstanceOf(Error);
    expect((gate as Error).message).toMatch(
      /^custom\.smokeTest\.recordsKey must be \{ arn: <the records key's ARN>, publicKeySha256: <64 hex characters> \} \(npx smoke-gate records-key prints it\), not "alias\/orders-smoke-records"$/,
    );
  });

  it.each([['ftp://x/ping'], ['https://user:secret@x/ping']])(
    'refuses the route URL %s without echoing a secret',
    (url) => {
      // Act
      const gate = serviceGate(serverless({ url, monitoring: false }).framework) as Error;
      // Assess
      expect(gate.message).toMatch(/custom.smokeTest.url must be an http\(s\) URL/);
      expect(gate.message).not.toContain('secret');
    },
  );
});
