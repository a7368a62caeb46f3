// A hanging AWS stand-in: a local server that accepts every request and never answers. Every
// command that calls AWS ends by its stated bound anyway (its --timeout; the gate's events by
// their own cap) with exit 2 and one line naming what did not finish. Nothing here asserts a
// time: a command that hung would fail the test by the test's own timeout.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS_ENV } from '../../harness/aws/moto.ts';
import { SmokeTestFailedError } from '../../packages/smoke-gate/src/core/framework.ts';
import { publishGateEvent } from '../../packages/smoke-gate/src/gate/gate-events.ts';
import { runServerlessSmoke } from '../../packages/smoke-gate/src/gate/serverless-smoke.ts';
import { runCliProcess } from '../helpers/cli.ts';
import { devFramework } from '../helpers/dev-stage.ts';

let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer(() => {
    // Never answers.
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const ROOM = { timeout: 60_000 };

describe('a hanging AWS stand-in', () => {
  it.each([
    ['verify --stage', ['verify', '--stage', 'dev']],
    ['status', ['status', '--stage', 'dev']],
    ['history', ['history', '--stage', 'dev']],
  ])('ends %s by its --timeout, exit 2, naming what did not finish', ROOM, async (_name, args) => {
    // Act
    const run = await runCliProcess(
      [...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--timeout', '2'],
      MOTO_CREDENTIALS_ENV,
    );
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/did not finish before the deadline \(--timeout\)/);
  });

  it('ends serverless smoke by custom.smokeTest.timeout, exit 2', ROOM, async () => {
    // Prepare: the framework's settings point at the hanging stand-in
    const framework = devFramework({
      custom: { smokeTest: { timeout: 2 } },
      aws: async () => ({
        base: {
          region: 'us-east-1',
          endpoint,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        },
      }),
    });
    const notices: string[] = [];
    // Act
    const smoke = runServerlessSmoke({
      framework,
      cliOptions: {},
      log: { notice: (text) => notices.push(text) },
      trigger: 'command',
      stdout: { write: () => true },
    });
    // Assess
    await expect(smoke).rejects.toBeInstanceOf(SmokeTestFailedError);
    await expect(smoke).rejects.toMatchObject({ exitCode: 2 });
    await expect(smoke).rejects.toThrow(/did not finish before the deadline/);
  });

  it('ends a gate event by its cap, reports it and keeps the verdict', ROOM, async () => {
    // Prepare
    const notices: string[] = [];
    // Act
    const published = await publishGateEvent({
      aws: {
        region: 'us-east-1',
        endpoint,
        base: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
      },
      topicArn: 'arn:aws:sns:us-east-1:123456789012:petsage-smoke-test-dev-alarms',
      message: { subject: 'PASS', body: '{}', attributes: {} },
      log: { notice: (text) => notices.push(text) },
      capMs: 1_000,
    });
    // Assess
    expect(published).toBe(false);
    expect(notices).toStrictEqual([
      expect.stringMatching(
        /^publishing the gate event to .* did not finish before the deadline \(--timeout\) \(the verdict stands\)$/,
      ),
    ]);
  });
});
