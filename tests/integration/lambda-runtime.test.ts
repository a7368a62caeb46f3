// The packaged zip under AWS's own Node.js runtime client (aws-lambda-ric, installed without its
// native build) against our Runtime API emulator, started the way Lambda's bootstrap starts it.
// Stand-ins, named: harness/lambda/runtime-api.ts plays Lambda's RAPID; harness/lambda/rapid-client-stand-in.cjs
// plays the runtime client's native HTTP client. Not proven here: the Lambda sandbox, the arm64
// CPU, log shipping to CloudWatch, freeze/thaw between invocations.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import getEvent from '../../harness/lambda/events/http-api-get.json' with { type: 'json' };
import headEvent from '../../harness/lambda/events/http-api-head.json' with { type: 'json' };
import scheduledEvent from '../../harness/lambda/events/scheduled-event.json' with { type: 'json' };
import {
  type RuntimeOptions,
  runtimeSettingsFrom,
  startLambdaRuntime,
} from '../../harness/lambda/lambda-runtime.ts';
import { type RuntimeApi, startRuntimeApi } from '../../harness/lambda/runtime-api.ts';
import {
  healthFunction,
  type PackagedService,
  packageService,
} from '../../harness/project/packaged.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';

const TRACE_ID = 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1';

let dir: string;
let pkg: PackagedService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-runtime-'));
  pkg = await packageService(dir, 'runtime');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts the emulator and one runtime process on the packaged zip; always stopped. */
const withRuntime = async (
  overrides: Partial<RuntimeOptions>,
  use: (api: RuntimeApi, output: () => { stdout: string; stderr: string }) => Promise<void>,
) => {
  const api = await startRuntimeApi();
  const runtime = startLambdaRuntime({
    ...runtimeSettingsFrom(healthFunction(pkg.template)),
    taskRoot: pkg.taskRoot,
    runtimeApi: api.address,
    ...overrides,
  });
  try {
    await use(api, () => ({ stdout: runtime.stdout(), stderr: runtime.stderr() }));
  } finally {
    await runtime.stop();
    await api.stop();
  }
};

const parseLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Output arrives asynchronously after the response is posted: wait for `count` lines. */
const waitForLines = async (read: () => string, count: number) => {
  for (let i = 0; i < 100 && read().split('\n').filter(Boolean).length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return read();
};

describe('the packaged zip under aws-lambda-ric', () => {
  it('applies the template: JSON log format and an application level that keeps the line', () => {
    // Act
    const settings = runtimeSettingsFrom(healthFunction(pkg.template));
    // Assess
    expect(settings).toMatchObject({
      handler: 'functions/health.handler',
      memoryMb: 128,
      logFormat: 'JSON',
      logLevel: 'INFO',
      environment: { POWERTOOLS_LOG_LEVEL: 'INFO', STAGE: 'runtime' },
    });
    expect(pkg.zipEntries).toStrictEqual(['functions/health.mjs']);
  });

  it.each([
    ['the template settings (JSON format, INFO)', {}],
    ['the Text format', { logFormat: 'Text', logLevel: undefined }],
  ])('answers GET, HEAD and a schedule with one line each under %s', async (_name, overrides) => {
    await withRuntime(overrides, async (api, output) => {
      // Act
      const get = await api.invoke(getEvent, { requestId: 'req-get-1', traceId: TRACE_ID });
      const head = await api.invoke(headEvent, { requestId: 'req-head-2' });
      const scheduled = await api.invoke(scheduledEvent, { requestId: 'req-schedule-3' });
      const stdout = await waitForLines(() => output().stdout, 3);
      // Assess
      expect([get.kind, head.kind, scheduled.kind]).toStrictEqual([
        'response',
        'response',
        'response',
      ]);
      const getAnswer = JSON.parse(get.body);
      expect(getAnswer.statusCode).toBe(200);
      expect(JSON.parse(getAnswer.body)).toMatchObject({ status: 'ok', stage: 'runtime' });
      expect(JSON.parse(head.body)).toMatchObject({ statusCode: 200, body: '' });
      expect(JSON.parse(JSON.parse(scheduled.body).body)).toMatchObject({ status: 'ok' });
      const lines = parseLines(stdout);
      expect(lines).toHaveLength(3);
      expect(lines.map((line) => line.function_request_id)).toStrictEqual([
        'req-get-1',
        'req-head-2',
        'req-schedule-3',
      ]);
      expect(lines.map((line) => line.cold_start)).toStrictEqual([true, false, false]);
      expect(lines.every((line) => line.event === 'smoke_test_executed')).toBe(true);
      expect(lines[0]?.xray_trace_id).toBe('1-67891233-abcdef012345678912345678');
      expect(lines.map((line) => line.trigger)).toStrictEqual(['http', 'http', 'schedule']);
      expect(output().stderr).toBe('');
    });
  });

  it('answers a forced failure with the 500 contract and one ERROR line, not an invocation error', async () => {
    await withRuntime(
      { preloads: [join(PROJECT_DIR, 'tests/helpers/break-clock-once.cjs')] },
      async (api, output) => {
        // Act
        const result = await api.invoke(getEvent, { requestId: 'req-fail-1' });
        const stderr = await waitForLines(() => output().stderr, 1);
        // Assess
        expect(result.kind).toBe('response');
        const answer = JSON.parse(result.body);
        expect(answer.statusCode).toBe(500);
        expect(JSON.parse(answer.body)).toMatchObject({ status: 'fail' });
        const lines = parseLines(stderr);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatchObject({
          level: 'ERROR',
          event: 'smoke_test_failed',
          function_request_id: 'req-fail-1',
        });
        expect(output().stdout).toBe('');
      },
    );
  });

  it('says so at init when Lambda application log level WARN would hide the line', async () => {
    await withRuntime({ logLevel: 'WARN' }, async (api, output) => {
      // Act
      await api.invoke(getEvent);
      const stderr = await waitForLines(() => output().stderr, 1);
      // Assess: the smoke line is gone, and the runtime said why at init.
      expect(output().stdout).toBe('');
      expect(parseLines(stderr)).toContainEqual(
        expect.objectContaining({ event: 'smoke_test_line_hidden', lambda_log_level: 'WARN' }),
      );
    });
  });

  it('can fail: a wrong handler name reaches /init/error as Runtime.HandlerNotFound', async () => {
    await withRuntime({ handler: 'functions/health.nope' }, async (api) => {
      // Act
      const error = await api.initError;
      // Assess
      expect(error.errorType).toBe('Runtime.HandlerNotFound');
      expect(JSON.parse(error.body)).toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
    });
  });
});
