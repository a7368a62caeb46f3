import { describe, expect, it } from 'vitest';
import { createLambdaClient } from '../../../../packages/smoke-gate/src/aws/lambda-client.ts';

describe('createLambdaClient', () => {
  it('calls the settings’ region and endpoint, with at most two attempts', async () => {
    // Act
    const client = createLambdaClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' });
    // Assess
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(2);
    expect((await client.config.endpoint?.())?.hostname).toBe('127.0.0.1');
  });
});
