import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { runVerification } from '../../../../packages/smoke-gate/src/verification/run-verification.ts';

// Made in beforeAll, not on import: a run that filters every test of this file out (-t) runs
// neither hook, and leaves nothing behind.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'run-verification-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A verification whose deadline has already passed: it ends at once, could not judge (exit 2). */
const expired = (junitPath: string, writeJUnit?: boolean) =>
  runVerification({
    target: {
      kind: 'aws',
      url: 'http://127.0.0.1:9/health',
      logGroupName: '/aws/lambda/x',
      service: 'svc',
    },
    aws: { region: 'eu-west-1' },
    env: {},
    deadline: createDeadline(Date.now()),
    junitPath,
    writeJUnit,
  });

describe('runVerification', () => {
  it('writes the JUnit of the verification, making its folder', async () => {
    // Prepare
    const path = join(dir, 'reports', 'smoke.xml');
    // Act
    const outcome = await expired(path);
    // Assess
    expect(outcome.exitCode).toBe(2);
    expect(readFileSync(path, 'utf8')).toMatch(/<testsuites[^>]*>[\s\S]*<failure/);
  });

  it('checks the JUnit path but leaves the writing to a caller that writes it once itself', async () => {
    // Prepare
    const path = join(dir, 'hook.xml');
    // Act
    await expired(path, false);
    // Assess: made writable, nothing written
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});
