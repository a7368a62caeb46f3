import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { weighAlias } from '../../../../packages/smoke-gate/src/traffic/alias-weights.ts';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

describe('weighAlias', () => {
  it('keeps the alias on its version and gives the other its share, in one call', async () => {
    // Prepare
    lambda.on(UpdateAliasCommand).resolves({});
    // Act
    await weighAlias(
      new LambdaClient({ region: 'us-east-1' }),
      {
        functionName: 'orders-prod-ping',
        alias: 'live',
        version: '4',
        weighted: { version: '5', percent: 30 },
      },
      createDeadline(Date.now() + 10_000),
    );
    // Assess
    expect(lambda.commandCalls(UpdateAliasCommand).map((call) => call.args[0].input)).toStrictEqual(
      [
        {
          FunctionName: 'orders-prod-ping',
          Name: 'live',
          FunctionVersion: '4',
          RoutingConfig: { AdditionalVersionWeights: { '5': 0.3 } },
        },
      ],
    );
  });

  it('says which weight it could not set, naming the permission', async () => {
    // Prepare
    lambda
      .on(UpdateAliasCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const weighing = weighAlias(
      new LambdaClient({ region: 'us-east-1' }),
      { functionName: 'f', alias: 'live', version: '4', weighted: { version: '5', percent: 10 } },
      createDeadline(Date.now() + 10_000),
    );
    // Assess
    await expect(weighing).rejects.toThrow(/lambda:UpdateAlias/);
  });
});
