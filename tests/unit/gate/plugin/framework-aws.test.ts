import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../harness/project/project.ts';
import { frameworkAws } from '../../../../packages/smoke-gate/src/plugin/framework-aws.ts';

const SRC = join(PROJECT_DIR, 'packages/smoke-gate/src');

describe('frameworkAws, the gate’s AWS settings from the framework', () => {
  it('wraps the framework’s own client config in the gate’s one settings shape', async () => {
    // Prepare
    const config = { region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
    const serverless = {
      service: {},
      getProvider: () => ({
        getAwsSdkV3Config: async () => config,
        naming: { getStackName: () => 'svc-dev' },
      }),
    };
    // Act
    const settings = await frameworkAws(serverless);
    // Assess
    expect(settings).toStrictEqual({ base: config });
  });

  it('turns Serverless v3’s SDK v2 credentials into a provider that refreshes them first', async () => {
    // Prepare: v3's provider (no getAwsSdkV3Config) and an SDK v2 credentials object.
    let refreshed = 0;
    const v2 = {
      accessKeyId: undefined as string | undefined,
      secretAccessKey: 'secret',
      sessionToken: 'token',
      get(callback: (error?: Error | null) => void) {
        refreshed++;
        v2.accessKeyId = 'AKIAV3';
        callback(null);
      },
    };
    const serverless = {
      service: {},
      getProvider: () => ({
        getCredentials: () => ({ credentials: v2, region: 'eu-west-1' }),
        getRegion: () => 'eu-central-1',
        getProfile: () => 'ci',
        naming: { getStackName: () => 'svc-dev' },
      }),
    };
    // Act
    const settings = await frameworkAws(serverless);
    const provider = settings.base?.credentials as () => Promise<unknown>;
    // Assess
    expect([settings.region, settings.profile]).toStrictEqual(['eu-central-1', 'ci']);
    expect(await provider()).toStrictEqual({
      accessKeyId: 'AKIAV3',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
    expect(refreshed).toBe(1);
  });

  it('leaves Serverless v3 without configured credentials to the SDK’s own chain', async () => {
    // Prepare
    const serverless = {
      service: {},
      getProvider: () => ({
        getCredentials: () => ({ region: 'us-west-2' }),
        naming: { getStackName: () => 'svc-dev' },
      }),
    };
    // Act
    const settings = await frameworkAws(serverless);
    // Assess
    expect(settings).toStrictEqual({ region: 'us-west-2', profile: undefined });
  });

  it('passes on a v2 refresh failure when a client asks for credentials', async () => {
    // Prepare
    const serverless = {
      service: {},
      getProvider: () => ({
        getCredentials: () => ({
          credentials: {
            get: (callback: (error?: Error) => void) => callback(new Error('expired')),
          },
        }),
        naming: { getStackName: () => 'svc-dev' },
      }),
    };
    // Act
    const settings = await frameworkAws(serverless);
    // Assess
    const provider = settings.base?.credentials as () => Promise<unknown>;
    await expect(provider()).rejects.toThrow('expired');
  });

  it('is the only place that asks the framework for its AWS config', () => {
    // Act
    const callers = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
      (file) =>
        file.endsWith('.ts') &&
        /getAwsSdkV3Config\(|getCredentials\(/.test(readFileSync(join(SRC, file), 'utf8')),
    );
    // Assess
    expect(callers).toStrictEqual(['plugin/framework-aws.ts']);
  });
});
