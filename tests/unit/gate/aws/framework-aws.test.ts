import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../harness/project/project.ts';
import { frameworkAws } from '../../../../packages/smoke-gate/src/aws/framework-aws.ts';

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

  it('is the only place that asks the framework for its AWS config', () => {
    // Act
    const callers = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
      (file) =>
        file.endsWith('.ts') &&
        readFileSync(join(SRC, file), 'utf8').includes('getAwsSdkV3Config()'),
    );
    // Assess
    expect(callers.sort()).toStrictEqual(['aws/framework-aws.ts', 'core/framework.ts']);
  });
});
