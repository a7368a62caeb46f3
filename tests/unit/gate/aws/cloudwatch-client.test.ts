import { describe, expect, it } from 'vitest';
import { cloudWatchClientFor } from '../../../../packages/smoke-gate/src/aws/cloudwatch-client.ts';

describe('cloudWatchClientFor', () => {
  it('makes one client per region, profile and endpoint in a run', async () => {
    // Act
    const first = cloudWatchClientFor({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' });
    const again = cloudWatchClientFor({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' });
    const other = cloudWatchClientFor({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' });
    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(await other.config.region()).toBe('us-east-1');
    expect(await first.config.maxAttempts()).toBe(2);
  });

  it('does not share a client made from the framework’s own config', () => {
    const base = { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
    expect(cloudWatchClientFor({ base, region: 'eu-west-1' })).not.toBe(
      cloudWatchClientFor({ base, region: 'eu-west-1' }),
    );
  });

  it('gives a stage read as another role (another account) a client of its own', async () => {
    // Prepare
    const place = { region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' };
    const role = (account: string) => ({ arn: `arn:aws:iam::${account}:role/petsage-verify` });
    const credentials = async () => ({ accessKeyId: 'a', secretAccessKey: 'b' });
    // Act
    const staging = cloudWatchClientFor({ ...place, role: role('111111111111'), credentials });
    const prod = cloudWatchClientFor({ ...place, role: role('222222222222'), credentials });
    const prodAgain = cloudWatchClientFor({ ...place, role: role('222222222222'), credentials });
    // Assess
    expect(prod).not.toBe(staging);
    expect(prodAgain).toBe(prod);
    expect(cloudWatchClientFor(place)).not.toBe(prod);
  });
});
