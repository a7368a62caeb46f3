import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project.ts';

describe('the test runtime', () => {
  it('is the Node.js major that serverless.yml deploys to Lambda', async () => {
    // Prepare
    const config = await readFile(join(PROJECT_DIR, 'serverless.yml'), 'utf8');
    // Act
    const lambdaMajor = /^\s*runtime:\s*nodejs(\d+)\.x\s*$/m.exec(config)?.[1];
    const testMajor = process.versions.node.split('.')[0];
    // Assess
    expect(lambdaMajor).toBeDefined();
    expect(testMajor).toBe(lambdaMajor);
  });
});
