import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  aliasVersion,
  pointAlias,
  publishDeployedVersion,
  versionCode,
} from '../../../../packages/smoke-gate/src/traffic/aliases.ts';
import {
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

describe('publishDeployedVersion', () => {
  it('publishes what $LATEST holds, guarded by its CodeSha256', async () => {
    // Prepare
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'abc=' });
    lambda.on(PublishVersionCommand).resolves({ Version: '17', CodeSha256: 'abc=' });
    // Act
    const published = await publishDeployedVersion(client(), FN, deadline());
    // Assess
    expect(published).toStrictEqual({ version: '17', codeSha256: 'abc=' });
    expect(lambda.commandCalls(PublishVersionCommand)[0]?.args[0].input).toStrictEqual({
      FunctionName: FN,
      CodeSha256: 'abc=',
    });
  });

  it.each([['$LATEST'], ['7a'], ['a7'], [undefined]])(
    'refuses an answer whose version is %s',
    async (Version) => {
      // Prepare
      lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'abc=' });
      lambda.on(PublishVersionCommand).resolves({ Version });
      // Act
      const published = publishDeployedVersion(client(), FN, deadline());
      // Assess
      await expect(published).rejects.toThrow(
        `publishing a version of function ${FN} returned no version number`,
      );
    },
  );
});

describe('aliasVersion', () => {
  it('reads the version an alias points at', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '3' });
    expect(await aliasVersion(client(), FN, 'live', deadline())).toBe('3');
  });

  it('says undefined when the alias does not exist yet', async () => {
    lambda.on(GetAliasCommand).rejects(named('ResourceNotFoundException'));
    expect(await aliasVersion(client(), FN, 'live', deadline())).toBeUndefined();
  });

  it('names the permission it lacks when access is denied', async () => {
    lambda.on(GetAliasCommand).rejects(named('AccessDeniedException'));
    await expect(aliasVersion(client(), FN, 'live', deadline())).rejects.toThrow(/lambda:GetAlias/);
  });
});

describe('pointAlias', () => {
  it('moves an alias in one update, with no weights left on it', async () => {
    // Prepare
    lambda.on(UpdateAliasCommand).resolves({});
    // Act
    await pointAlias(client(), { functionName: FN, alias: 'live', version: '4' }, deadline());
    // Assess
    expect(lambda.commandCalls(UpdateAliasCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        FunctionName: FN,
        Name: 'live',
        FunctionVersion: '4',
        RoutingConfig: { AdditionalVersionWeights: {} },
      },
    ]);
    expect(lambda.commandCalls(CreateAliasCommand)).toHaveLength(0);
  });

  it('stops on an update Lambda refuses for any reason but a missing alias', async () => {
    // Prepare
    lambda.on(UpdateAliasCommand).rejects(named('AccessDeniedException'));
    // Act
    const moved = pointAlias(
      client(),
      { functionName: FN, alias: 'live', version: '4' },
      deadline(),
    );
    // Assess
    await expect(moved).rejects.toThrow(/lambda:UpdateAlias and lambda:CreateAlias/);
    expect(lambda.commandCalls(CreateAliasCommand)).toHaveLength(0);
  });

  it('creates the alias the first time', async () => {
    // Prepare
    lambda.on(UpdateAliasCommand).rejects(named('ResourceNotFoundException'));
    lambda.on(CreateAliasCommand).resolves({});
    // Act
    await pointAlias(client(), { functionName: FN, alias: 'candidate', version: '1' }, deadline());
    // Assess
    expect(lambda.commandCalls(CreateAliasCommand)[0]?.args[0].input).toMatchObject({
      FunctionName: FN,
      Name: 'candidate',
      FunctionVersion: '1',
    });
  });
});

describe('versionCode', () => {
  it('reads the code a published version runs', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'xyz=' });
    expect(await versionCode(client(), FN, '3', deadline())).toBe('xyz=');
  });

  it('stops when the version cannot be read', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(named('AccessDeniedException'));
    await expect(versionCode(client(), FN, '3', deadline())).rejects.toThrow(
      /lambda:GetFunctionConfiguration/,
    );
  });
});
