import { describe, expect, it } from 'vitest';
import {
  deployedStackOf,
  readFrameworkStage,
} from '../../../../packages/smoke-gate/src/plugin/framework-stage.ts';
import type { ServerlessLike } from '../../../../packages/smoke-gate/src/plugin/serverless-like.ts';
import { devServerless } from '../../../helpers/dev-stage.ts';

/** The framework after `serverless deploy --stage dev` uploaded MINE, with its plugin manager. */
const MINE = 'serverless/petsage-smoke-test/dev/1795435900000-2026-11-23T12:11:40.000Z';
const resources = { Fn: { Type: 'AWS::Lambda::Function', Metadata: { 'petsage:release': 'c1' } } };
const afterDeploy = (spawned: string[]): ServerlessLike => ({
  ...devServerless,
  service: {
    service: 'petsage-smoke-test',
    custom: { smokeTest: { timeout: 30 } },
    package: { artifactDirectoryName: MINE },
    provider: { compiledCloudFormationTemplate: { Resources: resources } },
  },
  getProvider: () => ({ ...devServerless.getProvider('aws'), getRegion: () => 'eu-west-1' }),
  pluginManager: {
    spawn: async (command) => {
      spawned.push(command);
    },
  },
});

describe('readFrameworkStage', () => {
  it('reads the stage, its books, the deploy step’s state and the custom section as plain values', async () => {
    // Act
    const framework = readFrameworkStage(afterDeploy([]), {});
    // Assess
    expect(framework).toMatchObject({
      service: 'petsage-smoke-test',
      stage: 'dev',
      region: 'eu-west-1',
      stack: 'petsage-smoke-test-dev',
      custom: { smokeTest: { timeout: 30 } },
      place: { stack: 'petsage-smoke-test-dev', deploymentPrefix: 'serverless' },
    });
    expect(framework.deployed()).toStrictEqual({
      artifactDirectoryName: MINE,
      shouldNotDeploy: false,
      resources,
    });
    expect(await framework.aws()).toStrictEqual({ base: {} });
  });

  it('runs the framework’s own rollback command when asked', async () => {
    // Prepare
    const spawned: string[] = [];
    // Act
    await readFrameworkStage(afterDeploy(spawned), {}).spawnRollback?.();
    // Assess
    expect(spawned).toStrictEqual(['rollback']);
  });

  it('offers no rollback when the framework has no plugin manager', () => {
    // Act
    const framework = readFrameworkStage(devServerless, {});
    // Assess
    expect(framework.spawnRollback).toBeUndefined();
    expect(framework.deployed()).toStrictEqual({
      artifactDirectoryName: undefined,
      shouldNotDeploy: false,
      resources: undefined,
    });
  });

  it('takes --stage when the framework names no stage', () => {
    // Prepare
    const noStage = {
      ...devServerless,
      getProvider: () => ({ ...devServerless.getProvider('aws'), getStage: undefined }),
    };
    // Act
    const framework = readFrameworkStage(noStage, { stage: 'qa' });
    // Assess
    expect(framework.stage).toBe('qa');
  });
});

describe('deployedStackOf', () => {
  it('names where the deploy went from the framework', () => {
    // Act
    const stack = deployedStackOf(afterDeploy([]), { stage: 'ignored' });
    // Assess
    expect(stack).toStrictEqual({
      stack: 'petsage-smoke-test-dev',
      stage: 'dev',
      region: 'eu-west-1',
      service: 'petsage-smoke-test',
    });
  });

  it('names the stack from the stage and service when the framework itself is what broke', () => {
    // Act
    const stack = deployedStackOf(
      {
        service: { service: 'orders' },
        getProvider: () => {
          throw new Error('provider gone');
        },
      } as never,
      { stage: 'prod' },
    );
    // Assess
    expect(stack).toStrictEqual({
      stack: 'orders-prod',
      stage: 'prod',
      region: undefined,
      service: 'orders',
    });
  });
});
