import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';

const run = promisify(execFile);

describe('memory', () => {
  it('does not grow the heap over 10,000 warm invocations', async () => {
    // Act: a separate process, so the figure is the handler's alone and gc() is available.
    const { stdout } = await run(
      process.execPath,
      [
        '--expose-gc',
        join(PROJECT_DIR, 'harness/lambda/probe.ts'),
        join(PROJECT_DIR, 'functions/health.ts'),
        '10000',
      ],
      { cwd: PROJECT_DIR, env: { ...process.env, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' } },
    );
    // Assess
    const result = JSON.parse(stdout.trim());
    expect(result.invocations).toBe(10_000);
    // A per-request leak of even 100 bytes would add about 1 MB here.
    expect(result.heapGrowthBytes).toBeLessThan(512 * 1024);
  });
});
