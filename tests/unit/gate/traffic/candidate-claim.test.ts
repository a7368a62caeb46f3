import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  LambdaClient,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import {
  claimCandidate,
  claimText,
  readClaim,
  releaseCandidate,
} from '../../../../packages/smoke-gate/src/traffic/candidate-claim.ts';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

const NOW = Date.parse('2026-12-07T03:00:00.000Z');
const FN = 'svc-dev-health';
const named = (name: string) => Object.assign(new Error(name), { name });
const request = {
  functionName: FN,
  version: '8',
  run: 'run-2',
  now: () => NOW,
  staleAfterMs: 60_000,
};
const claim = (run: string, since: number) =>
  claimCandidate(
    new LambdaClient({ region: 'us-east-1' }),
    request,
    createDeadline(NOW + 10_000, () => NOW),
  ).then((taken) => ({ taken, run, since }));

describe('claimCandidate', () => {
  it('creates the candidate alias, saying which run holds it since when', async () => {
    // Prepare
    lambda.on(GetAliasCommand).rejects(named('ResourceNotFoundException'));
    lambda.on(CreateAliasCommand).resolves({});
    // Act
    const { taken } = await claim('run-2', NOW);
    // Assess
    expect(taken).toBeUndefined();
    expect(lambda.commandCalls(CreateAliasCommand)[0]?.args[0].input).toStrictEqual({
      FunctionName: FN,
      Name: 'candidate',
      FunctionVersion: '8',
      Description: 'smoke-gate run run-2 since 2026-12-07T03:00:00.000Z',
    });
  });

  it('stops, naming the other gate, when its claim is fresh, and changes nothing', async () => {
    // Prepare
    lambda.on(GetAliasCommand).resolves({
      FunctionVersion: '7',
      Description: claimText({ run: 'run-1', since: NOW - 30_000 }),
    });
    // Act
    const claimed = claim('run-2', NOW);
    // Assess
    await expect(claimed).rejects.toThrow(
      'another gate (run run-1, since 2026-12-07T02:59:30.000Z) is proving version 7 on the candidate stage of svc-dev-health (its claim goes stale at 2026-12-07T03:00:30.000Z; if that gate died: aws lambda delete-alias --function-name svc-dev-health --name candidate); live was not moved',
    );
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(lambda.commandCalls(CreateAliasCommand)).toHaveLength(0);
  });

  it('takes over a claim older than a gate’s whole bound (a gate that died)', async () => {
    // Prepare
    lambda.on(GetAliasCommand).resolves({
      FunctionVersion: '7',
      Description: claimText({ run: 'run-1', since: NOW - 60_000 }),
    });
    lambda.on(UpdateAliasCommand).resolves({});
    // Act
    const { taken } = await claim('run-2', NOW);
    // Assess
    expect(taken).toStrictEqual({ run: 'run-1', since: NOW - 60_000 });
    expect(lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input).toMatchObject({
      FunctionVersion: '8',
      Description: 'smoke-gate run run-2 since 2026-12-07T03:00:00.000Z',
    });
  });

  it('takes over an alias whose description holds no claim (made by hand)', async () => {
    // Prepare
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '3', Description: 'made by hand' });
    lambda.on(UpdateAliasCommand).resolves({});
    // Act
    const { taken } = await claim('run-2', NOW);
    // Assess
    expect(taken).toStrictEqual({ run: 'unknown', since: 0 });
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(1);
    expect(lambda.commandCalls(CreateAliasCommand)).toHaveLength(0);
  });

  it('says what it lacks, not that another gate claimed it, when creating is denied', async () => {
    // Prepare
    lambda.on(GetAliasCommand).rejects(named('ResourceNotFoundException'));
    lambda.on(CreateAliasCommand).rejects(named('AccessDeniedException'));
    // Act
    const claimed = claim('run-2', NOW);
    // Assess
    await expect(claimed).rejects.toThrow(/lambda:UpdateAlias and lambda:CreateAlias/);
    await expect(claimed).rejects.not.toThrow(/another gate/);
  });

  it('stops when another gate created the alias at the same moment', async () => {
    // Prepare
    lambda.on(GetAliasCommand).rejects(named('ResourceNotFoundException'));
    lambda.on(CreateAliasCommand).rejects(named('ResourceConflictException'));
    // Act, Assess
    await expect(claim('run-2', NOW)).rejects.toThrow(
      'another gate claimed the candidate stage of svc-dev-health at the same moment: nothing was changed; retry when it ends',
    );
  });
});

describe('releaseCandidate', () => {
  const release = () =>
    releaseCandidate(
      new LambdaClient({ region: 'us-east-1' }),
      { functionName: FN, run: 'run-2' },
      createDeadline(NOW + 10_000, () => NOW),
    );

  it('deletes the alias this run holds', async () => {
    lambda.on(GetAliasCommand).resolves({ Description: claimText({ run: 'run-2', since: NOW }) });
    lambda.on(DeleteAliasCommand).resolves({});
    expect(await release()).toBe(true);
    expect(lambda.commandCalls(DeleteAliasCommand)).toHaveLength(1);
  });

  it('leaves an alias that is gone already', async () => {
    lambda.on(GetAliasCommand).rejects(named('ResourceNotFoundException'));
    expect(await release()).toBe(false);
    expect(lambda.commandCalls(DeleteAliasCommand)).toHaveLength(0);
  });

  it('takes an alias deleted in between as deleted', async () => {
    lambda.on(GetAliasCommand).resolves({ Description: claimText({ run: 'run-2', since: NOW }) });
    lambda.on(DeleteAliasCommand).rejects(named('ResourceNotFoundException'));
    expect(await release()).toBe(true);
  });

  it('leaves an alias another run took over', async () => {
    lambda.on(GetAliasCommand).resolves({ Description: claimText({ run: 'run-3', since: NOW }) });
    expect(await release()).toBe(false);
    expect(lambda.commandCalls(DeleteAliasCommand)).toHaveLength(0);
  });
});

describe('readClaim', () => {
  it.each([
    '',
    'Moved by the smoke gate only (docs/traffic.md)',
    'smoke-gate run a b since x',
    'xsmoke-gate run run-1 since 2026-12-07T03:00:00.000Z',
    'smoke-gate run run-1 since 2026-12-07T03:00:00.000Z and more',
  ])('finds no claim in %j', (description) => {
    expect(readClaim(description)).toBeUndefined();
  });
});
