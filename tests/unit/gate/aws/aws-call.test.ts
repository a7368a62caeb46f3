import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../harness/project/project.ts';
import { AwsRetryableError, callAws } from '../../../../packages/smoke-gate/src/aws/aws-call.ts';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import {
  CouldNotJudgeError,
  DeadlineError,
} from '../../../../packages/smoke-gate/src/core/errors.ts';
import { fakeClock } from '../../../helpers/fake-clock.ts';

const SRC = join(PROJECT_DIR, 'packages/smoke-gate/src');

/** A client whose one call answers, fails or never ends, as the test says. */
const client = (answer: () => Promise<unknown>) => ({
  sent: [] as { signal: AbortSignal | undefined }[],
  send(_command: never, options?: { abortSignal?: AbortSignal }) {
    this.sent.push({ signal: options?.abortSignal });
    return answer();
  },
});

const awsError = (name: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, ...fields });

describe('callAws, the one way the gate calls AWS', () => {
  it('is the only place that sends a command or builds a client', () => {
    // Prepare
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.startsWith('aws/'),
    );
    // Act
    const offenders = files.filter((file) =>
      /\.send\(|new [A-Z][A-Za-z]*Client\(/.test(readFileSync(join(SRC, file), 'utf8')),
    );
    // Assess
    expect(files.length).toBeGreaterThan(40);
    expect(offenders).toStrictEqual([]);
  });

  it('sends every command of aws/ itself, STS too, through callAws, and every client is shared', () => {
    // Prepare
    const files = readdirSync(join(SRC, 'aws')).filter((file) => file.endsWith('.ts'));
    const text = (file: string) => readFileSync(join(SRC, 'aws', file), 'utf8');
    // Act
    const senders = files.filter((file) => /\.send\(/.test(text(file)));
    const unshared = files.filter((file) =>
      [...text(file).matchAll(/\bconst (create[A-Za-z]*Client)\b/g)].some(
        ([, factory]) => !new RegExp(`sharedClient\\([^)]*${factory}\\)`).test(text(file)),
      ),
    );
    // Assess
    expect(senders).toStrictEqual(['aws-call.ts']);
    expect(unshared).toStrictEqual([]);
  });

  it('answers with the output, the call bound by an abort signal', async () => {
    // Prepare
    const c = client(async () => ({ Stacks: [] }));
    // Act
    const output = await callAws<{ Stacks: unknown[] }>(
      c,
      {},
      {
        what: 'reading stack x',
        deadline: createDeadline(Date.now() + 5_000),
      },
    );
    // Assess
    expect(output).toStrictEqual({ Stacks: [] });
    expect(c.sent[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('says a call that outran the deadline did, naming it', async () => {
    // Prepare: a clock already at the deadline, and a call that never ends
    const clock = fakeClock();
    const deadline = createDeadline(clock.now(), clock.now);
    // Act
    const call = callAws(
      client(() => new Promise(() => undefined)),
      {},
      { what: 'reading stack x', deadline },
    );
    // Assess
    await expect(call).rejects.toThrow(DeadlineError);
    await expect(call).rejects.toThrow(
      'reading stack x did not finish before the deadline (--timeout)',
    );
  });

  it.each([
    ['throttled', awsError('ThrottlingException'), 'throttled'],
    ['a 5xx', awsError('InternalFailure', { $fault: 'server' }), 'transient'],
    [
      'a network error',
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
      }),
      'transient',
    ],
  ])('hands back %s as worth retrying', async (_name, error, kind) => {
    // Act
    const call = callAws(
      client(() => Promise.reject(error)),
      {},
      {
        what: 'CloudWatch Logs group g',
        deadline: createDeadline(Date.now() + 5_000),
      },
    );
    // Assess
    await expect(call).rejects.toBeInstanceOf(AwsRetryableError);
    await expect(call).rejects.toMatchObject({
      kind,
      message: expect.stringMatching(/^CloudWatch Logs group g: /),
    });
  });

  it('words what a user must fix in one line, or as the caller explains it', async () => {
    // Prepare
    const denied = awsError('AccessDeniedException');
    const deadline = createDeadline(Date.now() + 5_000);
    // Act
    const plain = callAws(
      client(() => Promise.reject(denied)),
      {},
      { what: 'CloudWatch alarms', deadline },
    );
    const explained = callAws(
      client(() => Promise.reject(denied)),
      {},
      {
        what: 'CloudWatch alarms',
        deadline,
        explain: () => new CouldNotJudgeError('the caller’s words'),
      },
    );
    // Assess
    await expect(plain).rejects.toThrow(
      /^CloudWatch alarms: access denied \(AccessDeniedException\)/,
    );
    await expect(explained).rejects.toThrow(/^the caller’s words$/);
  });
});
