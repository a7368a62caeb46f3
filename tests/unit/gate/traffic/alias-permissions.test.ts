import { AddPermissionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  allowInvokers,
  statementId,
} from '../../../../packages/smoke-gate/src/traffic/alias-permissions.ts';
import {
  API_SOURCE_ARN,
  awsError,
  callDeadline,
  FUNCTION_NAME,
  lambdaClient,
} from '../../../helpers/lambda-calls.ts';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

const client = lambdaClient;
const deadline = callDeadline;
const named = awsError;
const FN = FUNCTION_NAME;
const API = API_SOURCE_ARN;

describe('allowInvokers', () => {
  const invokers = [
    { principal: 'apigateway.amazonaws.com', sourceArn: API },
    { principal: 'events.amazonaws.com', sourceArn: undefined },
  ];

  it('adds one permission per invoker on the alias', async () => {
    // Prepare
    lambda.on(GetPolicyCommand).rejects(named('ResourceNotFoundException'));
    lambda.on(AddPermissionCommand).resolves({});
    // Act
    const added = await allowInvokers(
      client(),
      { functionName: FN, alias: 'live', invokers },
      deadline(),
    );
    // Assess
    expect(added).toBe(2);
    expect(lambda.commandCalls(AddPermissionCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        FunctionName: FN,
        Qualifier: 'live',
        StatementId: 'smoke-gate-live-0',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: API,
      },
      {
        FunctionName: FN,
        Qualifier: 'live',
        StatementId: 'smoke-gate-live-1',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: undefined,
      },
    ]);
  });

  it('adds none that the alias’s policy already holds', async () => {
    // Prepare
    const policy = {
      Statement: [{ Sid: statementId('live', 0) }, { Sid: statementId('live', 1) }],
    };
    lambda.on(GetPolicyCommand).resolves({ Policy: JSON.stringify(policy) });
    // Act
    const added = await allowInvokers(
      client(),
      { functionName: FN, alias: 'live', invokers },
      deadline(),
    );
    // Assess
    expect(added).toBe(0);
    expect(lambda.commandCalls(AddPermissionCommand)).toHaveLength(0);
  });

  it.each([
    ['a policy that is not JSON', 'not json'],
    [
      'a policy whose statements are not a list',
      JSON.stringify({ Statement: { Sid: 'smoke-gate-live-0' } }),
    ],
    ['statements without ids', JSON.stringify({ Statement: ['x', { Sid: 7 }] })],
  ])('adds every permission when the alias has %s', async (_, Policy) => {
    // Prepare
    lambda.on(GetPolicyCommand).resolves({ Policy });
    lambda.on(AddPermissionCommand).resolves({});
    // Act
    const added = await allowInvokers(
      client(),
      { functionName: FN, alias: 'live', invokers },
      deadline(),
    );
    // Assess
    expect(added).toBe(2);
  });

  it('stops when the alias’s policy cannot be read', async () => {
    lambda.on(GetPolicyCommand).rejects(named('AccessDeniedException'));
    await expect(
      allowInvokers(client(), { functionName: FN, alias: 'live', invokers }, deadline()),
    ).rejects.toThrow(/lambda:GetPolicy/);
    expect(lambda.commandCalls(AddPermissionCommand)).toHaveLength(0);
  });

  it('stops on a permission Lambda refuses for any reason but a conflict', async () => {
    // Prepare
    lambda.on(GetPolicyCommand).rejects(named('ResourceNotFoundException'));
    lambda.on(AddPermissionCommand).rejects(named('AccessDeniedException'));
    // Act, Assess
    await expect(
      allowInvokers(client(), { functionName: FN, alias: 'live', invokers }, deadline()),
    ).rejects.toThrow(/lambda:AddPermission/);
  });

  it('takes a permission another gate added in between as there', async () => {
    // Prepare
    lambda.on(GetPolicyCommand).rejects(named('ResourceNotFoundException'));
    lambda.on(AddPermissionCommand).rejects(named('ResourceConflictException'));
    // Act
    const added = await allowInvokers(
      client(),
      { functionName: FN, alias: 'candidate', invokers },
      deadline(),
    );
    // Assess
    expect(added).toBe(0);
  });
});
