import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { finishShift } from '../../../../packages/smoke-gate/src/traffic/shift-finish.ts';

const lambda = mockClient(LambdaClient);
const cloudFormation = mockClient(CloudFormationClient);

/** A stack in the traffic mode, as its outputs name it. */
beforeEach(() => {
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'orders-prod',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: [
          { OutputKey: 'SmokeGateFunctionName', OutputValue: 'orders-prod-ping' },
          { OutputKey: 'SmokeGateCandidateUrl', OutputValue: 'https://x/candidate/ping' },
          {
            OutputKey: 'SmokeGateInvokers',
            OutputValue:
              'apigateway.amazonaws.com arn:aws:execute-api:us-east-1:123456789012:abc/*',
          },
        ],
      },
    ],
  });
  lambda.on(UpdateAliasCommand).resolves({});
});
afterEach(() => {
  lambda.reset();
  cloudFormation.reset();
});

const finish = (action: 'promote' | 'abort') =>
  finishShift(
    {
      lambda: new LambdaClient({ region: 'us-east-1' }),
      cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
    },
    { stack: 'orders-prod', action },
    createDeadline(Date.now() + 10_000),
  );

describe('finishShift', () => {
  it.each([
    ['promote', '5', 'promoted: live of stack orders-prod serves version 5 whole'],
    ['abort', '4', 'aborted: live of stack orders-prod serves version 4 whole'],
  ] as const)('%s makes live whole on version %s in one call', async (action, version, note) => {
    // Prepare: live on 4, version 5 at 10%.
    lambda.on(GetAliasCommand).resolves({
      FunctionVersion: '4',
      RoutingConfig: { AdditionalVersionWeights: { '5': 0.1 } },
    });
    // Act
    const done = await finish(action);
    // Assess
    expect(done).toMatchObject({ live: version, shift: { from: '4', to: '5', percent: 10 } });
    expect(done.note).toMatch(
      new RegExp(`^${note} \\(was version 5 at 10%, the rest on version 4\\)`),
    );
    expect(lambda.commandCalls(UpdateAliasCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        FunctionName: 'orders-prod-ping',
        Name: 'live',
        FunctionVersion: version,
        RoutingConfig: { AdditionalVersionWeights: {} },
      },
    ]);
  });

  it('changes nothing when live is whole, and says so', async () => {
    // Prepare
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '4' });
    // Act
    const done = await finish('promote');
    // Assess
    expect(done).toMatchObject({ shift: null, live: '4' });
    expect(done.note).toBe(
      'no shift in progress on stack orders-prod: live serves version 4 whole; nothing was changed.',
    );
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });
});
