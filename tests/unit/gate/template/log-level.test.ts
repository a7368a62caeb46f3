import { describe, expect, it } from 'vitest';
import {
  applyDeployableLogLevel,
  writeLoggingConfig,
} from '../../../../packages/smoke-gate/src/template/log-level.ts';

describe('applyDeployableLogLevel', () => {
  it('normalises the case and sets Lambda application log level to match', () => {
    // Prepare
    const service = { provider: { environment: { POWERTOOLS_LOG_LEVEL: 'debug' } } };
    // Act
    const problem = applyDeployableLogLevel(service);
    // Assess
    expect(problem).toBeUndefined();
    expect(service.provider).toMatchObject({
      environment: { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
      logs: { lambda: { applicationLogLevel: 'DEBUG' } },
    });
  });

  it.each(['WARN', 'error', 'constructor', 'verbose'])(
    'refuses %j in one line naming the setting',
    (level) => {
      // Act
      const problem = applyDeployableLogLevel({
        provider: { environment: { POWERTOOLS_LOG_LEVEL: level } },
      });
      // Assess
      expect(problem).toMatch(new RegExp(`^POWERTOOLS_LOG_LEVEL "${level}" cannot be deployed`));
      expect(problem).not.toContain('\n');
    },
  );
});

describe('writeLoggingConfig (Serverless v3 ignores provider.logs.lambda)', () => {
  it('writes the guard’s levels on functions compiled without a LoggingConfig, and only there', () => {
    // Prepare: one function as v3 compiles it, one as osls does.
    const template = {
      Resources: {
        V3LambdaFunction: {
          Type: 'AWS::Lambda::Function',
          Properties: {} as Record<string, unknown>,
        },
        OslsLambdaFunction: {
          Type: 'AWS::Lambda::Function',
          Properties: { LoggingConfig: { LogFormat: 'JSON' } } as Record<string, unknown>,
        },
        Topic: { Type: 'AWS::SNS::Topic', Properties: {} as Record<string, unknown> },
      },
    };
    // Act
    const written = writeLoggingConfig(template, {
      logFormat: 'JSON',
      applicationLogLevel: 'INFO',
      systemLogLevel: 'WARN',
    });
    // Assess
    expect(written).toStrictEqual(['V3LambdaFunction']);
    expect(template.Resources.V3LambdaFunction.Properties.LoggingConfig).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'INFO',
      SystemLogLevel: 'WARN',
    });
    expect(template.Resources.OslsLambdaFunction.Properties.LoggingConfig).toStrictEqual({
      LogFormat: 'JSON',
    });
  });
});
