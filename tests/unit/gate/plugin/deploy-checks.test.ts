import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkCandidateFree,
  skipFrameworkRollback,
} from '../../../../packages/smoke-gate/src/plugin/deploy-checks.ts';
import type { PluginServerless } from '../../../../packages/smoke-gate/src/plugin/index.ts';
import type { ServiceGate } from '../../../../packages/smoke-gate/src/template/service-gate.ts';
import { claimText } from '../../../../packages/smoke-gate/src/traffic/candidate-claim.ts';

const lambda = mockClient(LambdaClient);

/** The framework as before:deploy:deploy hands it over: the compiled template names the function. */
const serverless = {
  service: {
    service: 'orders',
    custom: {},
    provider: {
      compiledCloudFormationTemplate: {
        Resources: {
          PingLambdaFunction: {
            Type: 'AWS::Lambda::Function',
            Properties: { FunctionName: 'orders-prod-ping' },
          },
        },
      },
    },
  },
  classes: { Error },
  getProvider: () => ({
    getStage: () => 'prod',
    getAwsSdkV3Config: async () => ({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    }),
    naming: { getStackName: () => 'orders-prod' },
  }),
} as unknown as PluginServerless;

const gate = (traffic: ServiceGate['traffic']) =>
  ({ functionName: 'ping', traffic }) as unknown as ServiceGate;

/** Runs the check, then drops the exit-code listener it adds (this test process keeps its own). */
async function checked(traffic: ServiceGate['traffic'], options: Record<string, unknown> = {}) {
  const listeners = process.listeners('exit');
  try {
    await checkCandidateFree(serverless, options, gate(traffic));
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    for (const listener of process.listeners('exit')) {
      if (!listeners.includes(listener)) process.removeListener('exit', listener);
    }
  }
}

afterEach(() => lambda.reset());

/** The traffic mode, moving live all at once. */
const TRAFFIC = { candidateUrl: undefined, shift: { kind: 'all-at-once' as const }, alarms: [] };
const TRAFFIC_OFF = 'off';

describe('checkCandidateFree (before the deploy uploads anything)', () => {
  it('asks nothing of a service that deploys all at once', async () => {
    expect(await checked(undefined)).toBeUndefined();
    expect(lambda.commandCalls(GetAliasCommand)).toHaveLength(0);
  });

  it('lets the deploy go on when no gate holds the candidate alias (or the function is new)', async () => {
    // Prepare
    lambda
      .on(GetAliasCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));
    // Act, Assess
    expect(
      await checked({ candidateUrl: undefined, shift: { kind: 'all-at-once' }, alarms: [] }),
    ).toBeUndefined();
    expect(lambda.commandCalls(GetAliasCommand).map((call) => call.args[0].input)).toStrictEqual([
      { FunctionName: 'orders-prod-ping', Name: 'live' },
      { FunctionName: 'orders-prod-ping', Name: 'candidate' },
    ]);
  });

  it('stops the deploy when live is in the middle of a shift, naming promote and abort', async () => {
    // Prepare: live on 4 with version 5 at 10% (a bake that was interrupted).
    lambda.on(GetAliasCommand, { Name: 'live' }).resolves({
      FunctionVersion: '4',
      RoutingConfig: { AdditionalVersionWeights: { '5': 0.1 } },
    });
    // Act
    const error = await checked(TRAFFIC);
    // Assess
    expect(error?.message).toBe(
      'Smoke test: a shift of live is in progress: version 5 at 10%, the rest on version 4. Finish it: npx smoke-gate promote --stage prod; undo it: npx smoke-gate abort --stage prod. Nothing was deployed (docs/traffic.md).',
    );
  });

  it.each([
    [
      TRAFFIC_OFF,
      'canary',
      '--traffic shifts the traffic mode: custom.smokeTest.traffic is not on',
    ],
    [
      'on',
      'canary:0:5',
      'custom.smokeTest.traffic.canary.percent must be a whole number from 1 to 99, not 0',
    ],
    ['on', 'halfway', '--traffic must be all-at-once, canary, linear'],
  ])('refuses --traffic %s %s before anything is deployed', async (mode, option, message) => {
    // Act
    const error = await checked(mode === 'on' ? TRAFFIC : undefined, { traffic: option });
    // Assess
    expect(error?.message).toContain(message);
    expect(error?.message).toMatch(/; nothing was deployed\.$/);
    expect(lambda.commandCalls(GetAliasCommand)).toHaveLength(0);
  });

  it('stops the deploy in one line naming the gate that holds it', async () => {
    // Prepare
    lambda.on(GetAliasCommand).resolves({
      FunctionVersion: '4',
      Description: claimText({ run: 'run-9', since: Date.now() - 5_000 }),
    });
    // Act
    const error = await checked({
      candidateUrl: undefined,
      shift: { kind: 'all-at-once' },
      alarms: [],
    });
    // Assess
    expect(error?.message).toMatch(
      /^Smoke test: another gate \(run run-9, since .*\) is proving version 4 on the candidate stage of orders-prod-ping .*\. Nothing was deployed: retry when that gate ends \(docs\/traffic\.md\)\.$/,
    );
  });

  it('stops the deploy when it cannot tell, saying nothing was deployed', async () => {
    // Prepare
    lambda
      .on(GetAliasCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const error = await checked({
      candidateUrl: undefined,
      shift: { kind: 'all-at-once' },
      alarms: [],
    });
    // Assess
    expect(error?.message).toMatch(
      /^Smoke test: could not tell whether another gate holds the candidate stage \(.*lambda:GetAlias.*\): nothing was deployed\.$/,
    );
  });
});

describe('skipFrameworkRollback (the traffic mode moves live, not the stack)', () => {
  it('takes the framework’s own rollback hook out of the lifecycle’s list, in place', () => {
    // Prepare: the lifecycle holds this very array (osls 4 and Serverless 3 alike).
    const hooks = [{ pluginName: 'AwsRollback' }, { pluginName: 'SmokeTestPlugin' }];
    const framework = { pluginManager: { hooks: { 'rollback:rollback': hooks } } };
    // Act
    const skipped = skipFrameworkRollback(framework as unknown as PluginServerless);
    // Assess
    expect(skipped).toBe(true);
    expect(hooks).toStrictEqual([{ pluginName: 'SmokeTestPlugin' }]);
  });

  it.each([
    ['no plugin manager', {}],
    ['no AwsRollback hook', { pluginManager: { hooks: { 'rollback:rollback': [] } } }],
  ])('says it cannot with %s', (_what, framework) => {
    expect(skipFrameworkRollback(framework as unknown as PluginServerless)).toBe(false);
  });
});
