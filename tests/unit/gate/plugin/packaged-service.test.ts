import { describe, expect, it } from 'vitest';
import { packagedService } from '../../../../packages/smoke-gate/src/plugin/packaged-service.ts';
import type { ServerlessLike } from '../../../../packages/smoke-gate/src/plugin/serverless-like.ts';

/** The framework while it packages `orders` for prod, its naming given or not. */
const packaging = (naming: Record<string, unknown> = {}) => {
  const template = { Resources: {} };
  const functions = { 'get-order_v2': { events: [] } };
  const serverless: ServerlessLike = {
    serviceDir: '/srv/orders',
    service: {
      service: 'orders',
      custom: { smokeTest: { timeout: 20 } },
      functions,
      provider: {
        compiledCloudFormationTemplate: template,
        logs: { lambda: { logFormat: 'JSON' } },
        iam: { role: { permissionsBoundary: 'arn:aws:iam::1:policy/b' } },
      },
    },
    getProvider: () => ({
      naming: { getStackName: () => 'orders-prod', ...naming },
      getStage: () => 'prod',
      getRegion: () => 'eu-west-1',
      getDeploymentPrefix: () => 'deploys',
    }),
  };
  return { serverless, template, functions };
};

describe('packagedService', () => {
  it('reads the service’s names, folder, prefix, boundary and log settings as plain values', () => {
    // Act
    const service = packagedService(packaging().serverless);
    // Assess
    expect(service).toMatchObject({
      name: 'orders',
      stage: 'prod',
      region: 'eu-west-1',
      serviceDir: '/srv/orders',
      deploymentPrefix: 'deploys',
      custom: { smokeTest: { timeout: 20 } },
      lambdaLogs: { logFormat: 'JSON' },
      boundary: 'arn:aws:iam::1:policy/b',
    });
  });

  it('hands over the framework’s own functions and template, so what the gate adds lands there', () => {
    // Prepare
    const { serverless, template, functions } = packaging();
    // Act
    const service = packagedService(serverless);
    // Assess
    expect(service.template).toBe(template);
    expect(service.functions).toBe(functions);
  });

  it('names a function’s resources as the framework does when its naming is not at hand', () => {
    // Act
    const service = packagedService(packaging().serverless);
    // Assess
    expect(service.functionId('get-order_v2')).toBe('GetDashorderUnderscorev2LambdaFunction');
    expect(service.logGroupId('get-order_v2')).toBe('GetDashorderUnderscorev2LogGroup');
  });

  it('asks the framework’s naming when it has it', () => {
    // Act
    const service = packagedService(
      packaging({
        getLambdaLogicalId: (fn: string) => `L${fn}`,
        getLogGroupLogicalId: (fn: string) => `G${fn}`,
      }).serverless,
    );
    // Assess
    expect([service.functionId('ping'), service.logGroupId('ping')]).toStrictEqual([
      'Lping',
      'Gping',
    ]);
  });

  it('falls back to the framework’s defaults where it says nothing', () => {
    // Act
    const service = packagedService({
      service: {},
      getProvider: () => ({ naming: { getStackName: () => 'service-dev' } }),
    });
    // Assess
    expect(service).toMatchObject({
      name: 'service',
      stage: 'dev',
      region: 'us-east-1',
      serviceDir: process.cwd(),
      deploymentPrefix: 'serverless',
      template: undefined,
    });
  });
});
