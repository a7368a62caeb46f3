import { describe, expect, it } from 'vitest';
import { checkCallDestination } from '../../../../packages/smoke-gate/src/aws/aws-clients.ts';

describe('checkCallDestination (where the calls go, before any call)', () => {
  it.each([
    [
      '--endpoint-url to another host over http',
      { endpoint: 'http://logs.evil.example:4566' },
      {},
      /--endpoint-url "http:\/\/logs\.evil\.example:4566" would send signed AWS requests in the clear/,
    ],
    [
      'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS over http',
      {},
      { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://10.0.0.5:4566' },
      /^AWS_ENDPOINT_URL_CLOUDWATCH_LOGS "http:\/\/10\.0\.0\.5:4566" would send/,
    ],
    [
      'an override that is not a URL',
      {},
      { AWS_ENDPOINT_URL: 'moto:5000' },
      /^AWS_ENDPOINT_URL "moto:5000" is not an http\(s\) URL$/,
    ],
  ])('refuses %s', async (_name, settings, env, message) => {
    await expect(checkCallDestination({ region: 'eu-west-1', ...settings }, env)).rejects.toThrow(
      message,
    );
  });

  it.each([
    ['https anywhere', { endpoint: 'https://logs.eu-west-1.amazonaws.com' }, {}],
    ['http to 127.0.0.1', { endpoint: 'http://127.0.0.1:4566' }, {}],
    ['http to localhost', {}, { AWS_ENDPOINT_URL: 'http://localhost:5000' }],
    ['http to ::1', {}, { AWS_ENDPOINT_URL_S3: 'http://[::1]:5000' }],
    ['an empty variable (no override)', {}, { AWS_ENDPOINT_URL: '' }],
  ])('accepts %s', async (_name, settings, env) => {
    await expect(
      checkCallDestination({ region: 'eu-west-1', ...settings }, env),
    ).resolves.toBeUndefined();
  });

  it('refuses a region typo with "did you mean" also with an endpoint override', async () => {
    await expect(
      checkCallDestination({ region: 'eu-wst-1', endpoint: 'http://127.0.0.1:4566' }, {}),
    ).rejects.toThrow(/^unknown region "eu-wst-1" \(did you mean eu-west-1\?\)$/);
  });
});
