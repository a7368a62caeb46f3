import { describe, expect, it } from 'vitest';
import type { GateTemplate } from '../../../../packages/smoke-gate/src/template/gate-template.ts';
import {
  CANDIDATE_STAGE_ID,
  readTraffic,
  routeThroughAliases,
  type TrafficSettings,
  trafficModeOf,
  trafficProblem,
} from '../../../../packages/smoke-gate/src/template/traffic-template.ts';

const FN_ARN = { 'Fn::GetAtt': ['HealthLambdaFunction', 'Arn'] };
const API_SOURCE = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':execute-api:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':',
      { Ref: 'HttpApi' },
      '/*',
    ],
  ],
};

/** The parts of a compiled template (osls 4, `serverless package`) the traffic mode rewrites. */
const compiled = (): GateTemplate => ({
  Resources: {
    HealthLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: { FunctionName: 'svc-dev-health' },
    },
    HealthEventsRuleSchedule1: {
      Type: 'AWS::Events::Rule',
      Properties: {
        ScheduleExpression: 'rate(5 minutes)',
        Targets: [{ Arn: FN_ARN, Id: 'healthSchedule' }],
      },
    },
    HealthLambdaPermissionEventsRuleSchedule1: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: FN_ARN,
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['HealthEventsRuleSchedule1', 'Arn'] },
      },
    },
    HttpApiStage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: { ApiId: { Ref: 'HttpApi' }, StageName: '$default', AutoDeploy: true },
    },
    HealthLambdaPermissionHttpApi: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: FN_ARN,
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: API_SOURCE,
      },
    },
    HttpApiIntegrationHealth: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        ApiId: { Ref: 'HttpApi' },
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: FN_ARN,
        PayloadFormatVersion: '2.0',
      },
    },
    OtherPermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: { 'Fn::GetAtt': ['OtherLambdaFunction', 'Arn'] },
        Principal: 's3.amazonaws.com',
      },
    },
  },
  Outputs: {},
});

const ALL_AT_ONCE = { shift: { kind: 'all-at-once' as const }, alarms: [] };

const rewritten = (traffic: TrafficSettings = { candidateUrl: undefined, ...ALL_AT_ONCE }) => {
  const template = compiled();
  routeThroughAliases(template, { functionId: 'HealthLambdaFunction', path: '/health', traffic });
  return template as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    Outputs: Record<string, { Value: unknown }>;
  };
};

describe('routeThroughAliases', () => {
  it('moves the function’s invoke permissions out of the stack, into an output for the gate', () => {
    // Act
    const { Resources, Outputs } = rewritten();
    // Assess
    expect(Resources.HealthLambdaPermissionHttpApi).toBeUndefined();
    expect(Resources.HealthLambdaPermissionEventsRuleSchedule1).toBeUndefined();
    expect(Resources.OtherPermission).toBeDefined();
    expect(Outputs.SmokeGateInvokers?.Value).toStrictEqual({
      'Fn::Join': [
        '',
        [
          'events.amazonaws.com',
          ' ',
          { 'Fn::GetAtt': ['HealthEventsRuleSchedule1', 'Arn'] },
          ',',
          'apigateway.amazonaws.com',
          ' ',
          API_SOURCE,
          ',',
        ],
      ],
    });
  });

  it('points the schedule at the live alias', () => {
    const { Resources } = rewritten();
    expect(Resources.HealthEventsRuleSchedule1?.Properties.Targets).toStrictEqual([
      { Arn: { 'Fn::Join': [':', [FN_ARN, 'live']] }, Id: 'healthSchedule' },
    ]);
  });

  it('has the integration invoke the alias its stage’s variable names', () => {
    // Act
    const { Resources } = rewritten();
    // Assess
    const uri = JSON.stringify(Resources.HttpApiIntegrationHealth?.Properties.IntegrationUri);
    expect(uri).toContain(':lambda:path/2015-03-31/functions/');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's stage variable, not JS.
    expect(uri).toContain(':${stageVariables.lambdaAlias}/invocations');
    expect(Resources.HttpApiStage?.Properties.StageVariables).toStrictEqual({
      lambdaAlias: 'live',
    });
  });

  it('adds a throttled candidate stage of the same API, naming the candidate alias', () => {
    const { Resources } = rewritten();
    expect(Resources[CANDIDATE_STAGE_ID]?.Properties).toMatchObject({
      ApiId: { Ref: 'HttpApi' },
      StageName: 'candidate',
      StageVariables: { lambdaAlias: 'candidate' },
      DefaultRouteSettings: { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 },
    });
  });

  it('outputs the function and the candidate stage’s route URL', () => {
    // Act
    const own = rewritten().Outputs;
    const given = rewritten({
      candidateUrl: 'https://example.com/candidate/health',
      ...ALL_AT_ONCE,
    }).Outputs;
    // Assess
    expect(own.SmokeGateFunctionName?.Value).toStrictEqual({ Ref: 'HealthLambdaFunction' });
    expect(own.SmokeGateCandidateUrl?.Value).toStrictEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] }, '/candidate', '/health']],
    });
    expect(given.SmokeGateCandidateUrl?.Value).toBe('https://example.com/candidate/health');
  });
});

describe('readTraffic', () => {
  it.each([
    [undefined, undefined],
    [false, undefined],
    [true, { candidateUrl: undefined, ...ALL_AT_ONCE }],
    [{}, { candidateUrl: undefined, ...ALL_AT_ONCE }],
    [
      { candidateUrl: 'https://x.example/candidate/health' },
      { candidateUrl: 'https://x.example/candidate/health', ...ALL_AT_ONCE },
    ],
    [
      { canary: { percent: 20, minutes: 3 }, alarms: ['orders-prod-p99'] },
      {
        candidateUrl: undefined,
        shift: { kind: 'canary', percent: 20, minutes: 3 },
        alarms: ['orders-prod-p99'],
      },
    ],
    [
      { linear: {} },
      {
        candidateUrl: undefined,
        shift: { kind: 'linear', percent: 10, everyMinutes: 1 },
        alarms: [],
      },
    ],
  ])('reads %j', (value, expected) => {
    expect(readTraffic(value)).toStrictEqual(expected);
  });

  it.each([
    [
      'yes',
      'custom.smokeTest.traffic must be true, false or { candidateUrl, canary, linear, alarms }, not "yes"',
    ],
    [
      { candidateURL: 'x' },
      'custom.smokeTest.traffic must be true, false or { candidateUrl, canary, linear, alarms }, not {"candidateURL":"x"}',
    ],
    [
      { canary: { percent: 0 } },
      'custom.smokeTest.traffic.canary.percent must be a whole number from 1 to 99, not 0',
    ],
    [
      { canary: { percent: '10' } },
      'custom.smokeTest.traffic.canary.percent must be a number, not the text "10": write 10 without quotes',
    ],
    [
      { linear: { percent: 1, everyMinutes: 2 } },
      'custom.smokeTest.traffic.linear would bake for 198 minutes; a shift may take at most 120',
    ],
    [{ canary: {}, linear: {} }, 'custom.smokeTest.traffic takes canary or linear, not both'],
    [
      { canary: { percent: 10, bake: 5 } },
      'custom.smokeTest.traffic.canary has an unknown key "bake": known keys: percent, minutes',
    ],
    [
      { alarms: 'x' },
      'custom.smokeTest.traffic.alarms must list at most 10 CloudWatch alarm names, not "x"',
    ],
    [
      { candidateUrl: 'ftp://x' },
      'custom.smokeTest.traffic.candidateUrl must be an http(s) URL without user:password@',
    ],
    [
      { candidateUrl: 'https://u:p@x' },
      'custom.smokeTest.traffic.candidateUrl must be an http(s) URL without user:password@',
    ],
  ])('refuses %j in one line', (value, message) => {
    expect(() => readTraffic(value)).toThrow(message);
  });
});

describe('trafficProblem', () => {
  it('takes a function with HTTP API and schedule events', () => {
    expect(
      trafficProblem({ events: [{ httpApi: 'GET /health' }, { schedule: 'rate(5 minutes)' }] }),
    ).toBeUndefined();
  });

  it('refuses an event whose invoker would call the bare function', () => {
    expect(
      trafficProblem({ events: [{ httpApi: 'GET /x' }, { sqs: 'arn:aws:sqs:us-east-1:1:q' }] }),
    ).toBe(
      "custom.smokeTest.traffic: the function's sqs event would invoke the bare function, not the live alias; the traffic mode takes httpApi and schedule events only",
    );
  });

  it('refuses provisioned concurrency, whose alias the framework owns', () => {
    expect(trafficProblem({ provisionedConcurrency: 1 })).toMatch(
      /^custom.smokeTest.traffic: provisionedConcurrency/,
    );
  });
});

describe('trafficModeOf', () => {
  it.each([
    [{ smokeTest: { traffic: true } }, true],
    [{ smokeTest: { traffic: { candidateUrl: 'https://x' } } }, true],
    [{ smokeTest: { traffic: false } }, false],
    [{ smokeTest: {} }, false],
    [undefined, false],
  ])('says whether %j turns the traffic mode on', (custom, on) => {
    expect(trafficModeOf(custom)).toBe(on);
  });
});
