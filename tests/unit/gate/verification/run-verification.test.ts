import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTRACT } from '../../../../packages/smoke-gate/src/core/contract.ts';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import {
  chosenContract,
  DEFAULTS_JUDGE,
  runVerification,
} from '../../../../packages/smoke-gate/src/verification/run-verification.ts';

// Made in beforeAll, not on import: a run that filters every test of this file out (-t) runs
// neither hook, and leaves nothing behind.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'run-verification-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A verification whose deadline has already passed: it ends at once, could not judge (exit 2). */
const expired = (junitPath: string) =>
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
  });

describe('runVerification', () => {
  it('checks the JUnit path before anything runs, making its folder, and leaves the writing to its caller', async () => {
    // Prepare
    const path = join(dir, 'reports', 'smoke.xml');
    // Act
    const outcome = await expired(path);
    // Assess: made writable, nothing written
    expect(outcome.exitCode).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('could not judge, nothing called, when the JUnit path cannot be written', async () => {
    // Act
    const outcome = await expired(join(dir, 'missing\0', 'smoke.xml'));
    // Assess
    expect(outcome).toMatchObject({ exitCode: 2, badRequest: true });
    expect(outcome.error).toMatch(/^cannot write --junit file: /);
  });
});

describe('chosenContract: what a report says it judged by', () => {
  const other = { ...DEFAULT_CONTRACT, path: '/ping' };

  it('takes the caller’s contract, named as the caller names it', () => {
    expect(
      chosenContract(
        { contract: other, contractFrom: 'custom.smokeTest of serverless.yml' },
        DEFAULT_CONTRACT,
      ),
    ).toStrictEqual({ contract: other, from: 'custom.smokeTest of serverless.yml' });
  });

  it('takes the stack’s next, saying so', () => {
    expect(chosenContract({}, other)).toStrictEqual({
      contract: other,
      from: "the stack's (its template's Metadata.SmokeGate.Contract)",
    });
  });

  it('takes a run’s --contract for a stack that carries none', () => {
    expect(
      chosenContract({ fallbackContract: other, contractFrom: '--contract "c.yml"' }, undefined),
    ).toStrictEqual({
      contract: other,
      from: '--contract "c.yml"',
    });
  });

  it('says it judged by the defaults, and what they check, when nothing gives one', () => {
    expect(chosenContract({}, undefined)).toStrictEqual({
      contract: undefined,
      from: DEFAULTS_JUDGE,
    });
    expect(DEFAULTS_JUDGE).toMatch(/^the defaults \(no contract given\): HTTP 200, and one line/);
  });
});
