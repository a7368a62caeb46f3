import { createHash } from 'node:crypto';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import {
  changedOutsideBecause,
  runningCodeSha256,
} from '../../../../packages/smoke-gate/src/deployments/running-code.ts';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

const ZIP = Buffer.from('zip bytes');
const hex = createHash('sha256').update(ZIP).digest('hex');
const base64 = createHash('sha256').update(ZIP).digest('base64');
const record = { artifacts: { 'health.zip': { sha256: hex, versionId: 'v1' } } };

describe('runningCodeSha256', () => {
  it('reads Lambda’s CodeSha256 (base64) as the hex the records hold', async () => {
    // Prepare
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: base64 });
    // Act
    const running = await runningCodeSha256(
      new LambdaClient({ region: 'us-east-1' }),
      'svc-dev-health',
      createDeadline(Date.now() + 10_000),
    );
    // Assess
    expect(running).toBe(hex);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]?.args[0].input).toStrictEqual({
      FunctionName: 'svc-dev-health',
    });
  });

  it('names the permission it lacks, in one line', async () => {
    // Prepare
    lambda
      .on(GetFunctionConfigurationCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const running = runningCodeSha256(
      new LambdaClient({ region: 'us-east-1' }),
      'svc-dev-health',
      createDeadline(Date.now() + 10_000),
    );
    // Assess
    await expect(running).rejects.toThrow(
      /It needs lambda:GetFunctionConfiguration on the function\.$/,
    );
  });
});

describe('changedOutsideBecause', () => {
  it('finds nothing when the function runs the zip the record vouches for', () => {
    expect(changedOutsideBecause(record, 'health.zip', hex)).toBeUndefined();
  });

  it('says the code changed outside the pipeline, with both hashes', () => {
    expect(changedOutsideBecause(record, 'health.zip', 'f'.repeat(64))).toBe(
      `changed outside the pipeline: the function runs code sha256 ${'f'.repeat(64)}, not the health.zip its record vouches for (${hex})`,
    );
  });

  it.each([
    ['Lambda names no code', 'health.zip', undefined],
    ['the record holds no such zip', 'other.zip', 'f'.repeat(64)],
  ])('cannot compare, and says nothing, when %s', (_when, zip, running) => {
    expect(changedOutsideBecause(record, zip, running)).toBeUndefined();
  });
});
