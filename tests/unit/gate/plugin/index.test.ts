import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  NO_HEARTBEAT,
  pluginLog,
  ROUTE_HEARTBEAT_OFF,
  SMOKE_TEST_SCHEMA,
  SmokeTestPlugin,
} from '../../../../packages/smoke-gate/src/plugin/index.ts';

/** The least of the framework a plugin constructor touches. */
const framework = () => {
  const schemas: unknown[] = [];
  return {
    schemas,
    serverless: {
      service: { service: 'petsage-smoke-test', custom: {} },
      getProvider: () => {
        throw new Error('not called at construction');
      },
      configSchemaHandler: { defineCustomProperties: (schema: unknown) => schemas.push(schema) },
    },
  };
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the plugin schema and defaults', () => {
  it('declares custom.smokeTest’s keys to the framework’s schema', () => {
    // Prepare
    const { serverless, schemas } = framework();
    // Act
    new SmokeTestPlugin(serverless, {});
    // Assess
    expect(schemas).toStrictEqual([
      { type: 'object', properties: { smokeTest: SMOKE_TEST_SCHEMA } },
    ]);
  });

  it('lists its hooks as the type declaration says', () => {
    // Act
    const plugin = new SmokeTestPlugin(framework().serverless, {});
    // Assess
    expect(Object.keys(plugin.hooks).sort()).toStrictEqual([
      'after:deploy:deploy',
      'after:deploy:function:deploy',
      'after:deploy:function:packageFunction',
      'after:package:finalize',
      'after:rollback:rollback',
      'before:deploy:deploy',
      'before:deploy:function:initialize',
      'before:package:finalize',
      'before:package:initialize',
      'before:rollback:initialize',
      'smoke:verify',
    ]);
    expect(typeof plugin.checkLogLevel).toBe('function');
    expect(typeof plugin.verify).toBe('function');
  });
});

describe('pluginLog', () => {
  it('uses the framework logger when there is one', () => {
    const log = { notice: () => undefined };
    expect(pluginLog({ log })).toBe(log);
  });

  it('falls back to stderr with notice, success and error (console has no notice)', () => {
    // Prepare
    const written = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // Act
    const log = pluginLog(undefined);
    log.notice('one');
    log.success?.('two');
    log.error?.('three');
    // Assess
    expect(written.mock.calls).toStrictEqual([['one'], ['two'], ['three']]);
  });
});

describe('the plugin at package time', () => {
  /** A service with one GET route, as the framework hands it over after resolving variables. */
  const service = (smokeTest: Record<string, unknown>) => {
    // The framework's own deployment bucket policy (TLS only), as osls and v3 write it.
    const tlsOnly = { Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*' };
    const template = {
      Resources: {
        ServerlessDeploymentBucketPolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: { PolicyDocument: { Statement: [tlsOnly] } },
        },
      },
      Outputs: {},
    };
    const notices: string[] = [];
    const plugin = new SmokeTestPlugin(
      {
        service: {
          service: 'orders',
          custom: { smokeTest },
          functions: { ping: { events: [{ httpApi: { method: 'GET', path: '/ping' } }] } },
          provider: { compiledCloudFormationTemplate: template },
        },
        serviceDir: '/nonexistent',
        classes: { Error },
        getProvider: () => ({
          getStage: () => 'prod',
          getAwsSdkV3Config: async () => ({
            region: 'us-east-1',
            credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
          }),
          naming: { getStackName: () => 'orders-prod' },
        }),
      } as never,
      {},
      { log: { notice: (text: string) => notices.push(text) } },
    );
    return { plugin, template, notices };
  };

  describe('before the deploy uploads anything', () => {
    const sts = mockClient(STSClient);
    afterEach(() => sts.reset());
    const caller = (Arn: string) =>
      sts.on(GetCallerIdentityCommand).resolves({ Arn, Account: '123456789012' });

    it('stops a deploy whose caller the bucket guard would lock out, naming the caller', async () => {
      // Prepare
      const { plugin } = service({ logLine: { json: { msg: 'ping_done' } } });
      await plugin.hooks['before:package:finalize']();
      caller('arn:aws:iam::123456789012:user/alice');
      // Act
      const checked = plugin.hooks['before:deploy:deploy']();
      // Assess
      await expect(checked).rejects.toThrow(
        /^Smoke test: this deploy would lock itself out of its own deployment bucket: its caller arn:aws:iam::123456789012:user\/alice is not role orders-deploy/,
      );
    });

    it('lets the deploy role’s session deploy', async () => {
      // Prepare
      const { plugin } = service({ logLine: { json: { msg: 'ping_done' } } });
      await plugin.hooks['before:package:finalize']();
      caller('arn:aws:sts::123456789012:assumed-role/orders-deploy/gha-7');
      // Act, Assess
      await expect(plugin.hooks['before:deploy:deploy']()).resolves.toBeUndefined();
    });

    it('stops the deploy when it cannot tell who deploys', async () => {
      // Prepare
      const { plugin } = service({ logLine: { json: { msg: 'ping_done' } } });
      await plugin.hooks['before:package:finalize']();
      sts
        .on(GetCallerIdentityCommand)
        .rejects(Object.assign(new Error('nope'), { name: 'InvalidClientTokenId' }));
      // Act, Assess
      await expect(plugin.hooks['before:deploy:deploy']()).rejects.toThrow(
        /^Smoke test: could not tell who deploys \(.*\), so the bucket guard could lock this deploy out: nothing was uploaded\.$/,
      );
    });

    it('asks nothing when this packaging added no guard (a bucket of the service’s own)', async () => {
      // Prepare
      const { plugin, template } = service({
        logLine: { json: { msg: 'ping_done' } },
        guardsOwnBucket: true,
      });
      delete (template.Resources as Record<string, unknown>).ServerlessDeploymentBucketPolicy;
      await plugin.hooks['before:package:finalize']();
      // Act
      await plugin.hooks['before:deploy:deploy']();
      // Assess
      expect(sts.calls()).toHaveLength(0);
    });
  });

  it('says in one line that there is no heartbeat when neither heartbeat is described', async () => {
    // Prepare
    const { plugin, notices } = service({ logLine: { json: { msg: 'ping_done' } } });
    // Act
    await plugin.hooks['before:package:finalize']();
    // Assess
    expect(notices).toStrictEqual([NO_HEARTBEAT]);
  });

  it('says in one line that there is no route heartbeat when only the direct one runs', async () => {
    // Prepare
    const { plugin, notices } = service({
      logLine: { json: { msg: 'ping_done' } },
      monitoring: { directHeartbeat: true },
    });
    // Act
    await plugin.hooks['before:package:finalize']();
    // Assess
    expect(notices).toStrictEqual([ROUTE_HEARTBEAT_OFF]);
  });

  it('says nothing of heartbeats a service turned off', async () => {
    // Prepare
    const { plugin, notices } = service({
      logLine: { json: { msg: 'ping_done' } },
      monitoring: { heartbeat: false },
    });
    // Act
    await plugin.hooks['before:package:finalize']();
    // Assess
    expect(notices).toStrictEqual([]);
  });

  it('denies writes under the deployment prefix to all but the deploy role, keeping TLS only', async () => {
    // Prepare
    const { plugin, template } = service({ logLine: { json: { msg: 'ping_done' } } });
    // Act
    await plugin.hooks['before:package:finalize']();
    // Assess
    const statements = template.Resources.ServerlessDeploymentBucketPolicy.Properties.PolicyDocument
      .Statement as Record<string, unknown>[];
    expect(statements[0]).toMatchObject({ Sid: 'TLS' });
    expect(statements[1]).toMatchObject({
      Sid: 'OnlyTheDeployRoleWritesDeployments',
      Effect: 'Deny',
      Principal: '*',
      Resource: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub, not JS.
        'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ServerlessDeploymentBucket}/serverless/orders/*',
      },
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': {
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub, not JS.
            'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/orders-deploy',
          },
        },
      },
    });
    expect(statements[1]?.Action).toContain('s3:PutObject');
  });

  it('refuses a misspelt key at package time with the framework’s error, before anything is built', () => {
    // Prepare
    const { plugin } = service({ rollbackOnFaliure: false });
    // Act
    const hook = () => plugin.hooks['before:package:initialize']();
    // Assess
    expect(hook).toThrow(
      'custom.smokeTest has an unknown key "rollbackOnFaliure": did you mean "rollbackOnFailure"?',
    );
  });
});

describe('the plugin after a deploy, when the gate itself breaks', () => {
  it('says the stack is deployed, live and not verified, with the way out, and exits 2', async () => {
    // Prepare: a framework whose AWS settings throw (as Serverless v3 did before the adapter).
    const onExit = vi.spyOn(process, 'once').mockImplementation(() => process);
    const plugin = new SmokeTestPlugin(
      {
        service: {
          service: 'orders',
          custom: { smokeTest: { monitoring: false } },
          functions: { ping: { events: [{ httpApi: { method: 'GET', path: '/ping' } }] } },
        },
        classes: { Error },
        getProvider: () => ({
          getStage: () => 'prod',
          getRegion: () => 'eu-west-1',
          getAwsSdkV3Config: () => {
            throw new TypeError('provider.getAwsSdkV3Config is not a function');
          },
          naming: { getStackName: () => 'orders-prod' },
        }),
      } as never,
      {},
      { log: { notice: () => undefined } },
    );
    // Act
    const hook = plugin.hooks['after:deploy:deploy']();
    // Assess
    await expect(hook).rejects.toThrow(
      /could not run after the stack deployed: provider.getAwsSdkV3Config is not a function\nStack orders-prod IS deployed: its new deployment is live and NOT verified/,
    );
    expect(onExit).toHaveBeenCalledWith('exit', expect.any(Function));
  });
});
