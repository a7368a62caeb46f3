import { Logger } from '@aws-lambda-powertools/logger';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../functions/health.ts';
import getEvent from '../../harness/lambda/events/http-api-get.json' with { type: 'json' };
import headEvent from '../../harness/lambda/events/http-api-head.json' with { type: 'json' };
import minimalEvent from '../../harness/lambda/events/http-api-minimal.json' with { type: 'json' };
import routeHeartbeatEvent from '../../harness/lambda/events/http-api-route-heartbeat.json' with {
  type: 'json',
};
import scheduledEvent from '../../harness/lambda/events/scheduled-event.json' with { type: 'json' };
import { lambdaContext } from '../../harness/lambda/lambda-context.ts';
import { loadConfig } from '../../lib/config.ts';
import { captureOutput } from '../helpers/stdout.ts';

type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// The real module, imported fresh per test so each one starts a new "execution environment".
const loadHandler = async (): Promise<Handler> => {
  vi.resetModules();
  const module = await import('../../functions/health.ts');
  return module.handler as Handler;
};

const bodyOf = (result: APIGatewayProxyStructuredResultV2): Record<string, unknown> =>
  JSON.parse(String(result.body)) as Record<string, unknown>;

let stdout: ReturnType<typeof captureOutput>;

beforeEach(() => {
  vi.stubEnv('STAGE', 'test');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'petsage-smoke-test');
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-67891233-abcdef012345678912345678;Sampled=1');
  stdout = captureOutput();
});

afterEach(() => {
  stdout.restore();
  vi.unstubAllEnvs();
});

describe('GET on the health route', () => {
  it('answers 200 with the smoke-test payload', async () => {
    // Prepare
    const handler = await loadHandler();
    const event = structuredClone(getEvent);
    // Act
    const result = await handler(event, lambdaContext());
    // Assess
    expect(result.statusCode).toBe(200);
    const body = bodyOf(result);
    expect(body).toStrictEqual({
      status: 'ok',
      message: 'PetSage system is alive and purring!',
      feature: 'smoke_test',
      service: 'petsage-smoke-test',
      version: loadConfig().version,
      releaseId: loadConfig().releaseId,
      stage: 'test',
      timestamp: expect.stringMatching(ISO_MS_UTC),
      correlationId: 'probe-20261122-0001',
    });
    expect(result.headers).toStrictEqual({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-correlation-id': 'probe-20261122-0001',
    });
  });

  it('writes exactly one structured INFO line with the log-line contract', async () => {
    // Prepare
    const handler = await loadHandler();
    const context = lambdaContext();
    // Act
    await handler(structuredClone(getEvent), context);
    // Assess
    const lines = stdout.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toStrictEqual({
      level: 'INFO',
      message: 'smoke test executed',
      timestamp: expect.stringMatching(ISO_MS_UTC),
      service: 'petsage-smoke-test',
      cold_start: true,
      function_arn: context.invokedFunctionArn,
      function_memory_size: '128',
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
      sampling_rate: 0,
      xray_trace_id: '1-67891233-abcdef012345678912345678',
      correlation_id: 'probe-20261122-0001',
      event: 'smoke_test_executed',
      status: 'success',
      trigger: 'http',
      version: loadConfig().version,
      release_id: loadConfig().releaseId,
      stage: 'test',
      http_method: 'GET',
      path: '/health',
    });
  });

  it('marks only the first invocation of an on-demand environment as a cold start', async () => {
    // Prepare
    const handler = await loadHandler();
    // Act
    await handler(structuredClone(getEvent), lambdaContext());
    await handler(structuredClone(getEvent), lambdaContext());
    await handler(structuredClone(getEvent), lambdaContext());
    // Assess
    expect(stdout.lines().map((line) => line.cold_start)).toStrictEqual([true, false, false]);
  });

  it('never reports a cold start for provisioned concurrency', async () => {
    // Prepare
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'provisioned-concurrency');
    const handler = await loadHandler();
    // Act
    await handler(structuredClone(getEvent), lambdaContext());
    // Assess
    expect(stdout.lines()[0]?.cold_start).toBe(false);
  });

  it('does not carry one call correlation id over to the next', async () => {
    // Prepare
    const handler = await loadHandler();
    const withId = structuredClone(getEvent);
    const withoutHeaders = structuredClone(minimalEvent);
    // Act
    await handler(withId, lambdaContext());
    await handler(withoutHeaders, lambdaContext());
    // Assess
    const [first, second] = stdout.lines();
    expect(first?.correlation_id).toBe('probe-20261122-0001');
    expect(second?.correlation_id).toBe('KLmnOpQrStUvWXY=');
  });

  it('answers application/health+json when Accept asks for it', async () => {
    // Prepare
    const handler = await loadHandler();
    const event = structuredClone(getEvent);
    event.headers.accept = 'application/health+json';
    // Act
    const result = await handler(event, lambdaContext());
    // Assess
    expect(result.headers?.['content-type']).toBe('application/health+json');
    expect(bodyOf(result).status).toBe('ok');
  });

  it('uses the API Gateway request id when there are no headers', async () => {
    // Prepare
    const handler = await loadHandler();
    // Act
    const result = await handler(structuredClone(minimalEvent), lambdaContext());
    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['x-correlation-id']).toBe('KLmnOpQrStUvWXY=');
    expect(bodyOf(result).correlationId).toBe('KLmnOpQrStUvWXY=');
    expect(stdout.lines()[0]?.correlation_id).toBe('KLmnOpQrStUvWXY=');
  });

  it('uses the Lambda request id behind serverless-offline placeholder request id', async () => {
    // Prepare
    const handler = await loadHandler();
    const event = structuredClone(minimalEvent);
    event.requestContext.requestId = 'offlineContext_resourceId';
    const context = lambdaContext();
    // Act
    const result = await handler(event, context);
    // Assess
    expect(result.headers?.['x-correlation-id']).toBe(context.awsRequestId);
    expect(stdout.lines()[0]?.correlation_id).toBe(context.awsRequestId);
  });
});

describe('HEAD on the health route', () => {
  it('answers the same status and headers with an empty body', async () => {
    // Prepare
    const handler = await loadHandler();
    const context = lambdaContext();
    // Act
    const result = await handler(structuredClone(headEvent), context);
    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('');
    expect(result.headers).toStrictEqual({
      'content-type': 'application/health+json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-correlation-id': 'MNopQrStUvWxYZA=',
    });
    const lines = stdout.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ http_method: 'HEAD', event: 'smoke_test_executed' });
  });
});

describe('bad correlation ids', () => {
  it.each([
    ['CR/LF', 'probe\r\n{"level":"ERROR","forged":true}'],
    ['U+2028', 'probe\u2028forged'],
    ['quotes', 'probe"forged'],
    ['spaces', 'probe forged'],
    ['over-long', 'p'.repeat(129)],
    ['empty', ''],
  ])('neither echoes nor logs a header with %s', async (_name, value) => {
    // Prepare
    const handler = await loadHandler();
    const event = structuredClone(getEvent);
    event.headers['x-correlation-id'] = value;
    // Act
    const result = await handler(event, lambdaContext());
    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['x-correlation-id']).toBe('JKJaXmPLvHcESHA=');
    expect(bodyOf(result).correlationId).toBe('JKJaXmPLvHcESHA=');
    const lines = stdout.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.correlation_id).toBe('JKJaXmPLvHcESHA=');
    if (value !== '') expect(stdout.rawLines().join('\n')).not.toContain(value);
  });
});

describe('what is never logged', () => {
  it('keeps the event, headers, cookies and query string out of the log', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    const handler = await loadHandler();
    // Act
    await handler(structuredClone(getEvent), lambdaContext());
    // Assess
    const output = stdout.rawLines().join('\n');
    expect(stdout.lines()).toHaveLength(1);
    for (const secret of [
      's3cr3t-cookie-value',
      'eyJhbGciOiJIUzI1NiJ9',
      'verbose',
      '203.0.113.10',
    ]) {
      expect(output).not.toContain(secret);
    }
  });

  it('respects POWERTOOLS_LOG_LEVEL, and says at init that it hides the smoke line', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
    const handler = await loadHandler();
    // Act
    const result = await handler(structuredClone(getEvent), lambdaContext());
    // Assess
    expect(result.statusCode).toBe(200);
    expect(stdout.lines()).toStrictEqual([
      expect.objectContaining({ event: 'smoke_test_line_hidden', powertools_log_level: 'ERROR' }),
    ]);
  });
});

describe('non-HTTP invocations', () => {
  it.each([
    ['a scheduled event', scheduledEvent],
    ['an empty object', {}],
    ['null', null],
  ])('answers %s with the JSON payload', async (_name, event) => {
    // Prepare
    const handler = await loadHandler();
    const context = lambdaContext();
    // Act
    const result = await handler(structuredClone(event), context);
    // Assess
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ status: 'ok', correlationId: context.awsRequestId });
    const lines = stdout.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      event: 'smoke_test_executed',
      correlation_id: context.awsRequestId,
    });
    // Powertools drops null keys: no method or path is logged when there was no HTTP request.
    expect(lines[0]).not.toHaveProperty('http_method');
    expect(lines[0]).not.toHaveProperty('path');
  });

  it('marks the EventBridge heartbeat with trigger and rule name, and a direct call as direct', async () => {
    // Prepare
    const handler = await loadHandler();
    // Act
    await handler(structuredClone(scheduledEvent), lambdaContext());
    await handler({}, lambdaContext());
    // Assess
    const [heartbeat, direct] = stdout.lines();
    expect(heartbeat).toMatchObject({
      event: 'smoke_test_executed',
      trigger: 'schedule',
      schedule_rule: 'petsage-smoke-test-dev-heartbeat',
    });
    expect(direct).toMatchObject({ trigger: 'direct' });
    expect(direct).not.toHaveProperty('schedule_rule');
  });
});

describe('unexpected failures', () => {
  const failingHandler = () =>
    createHandler({
      config: loadConfig(),
      logger: new Logger({ serviceName: 'petsage-smoke-test' }),
      now: () => {
        throw new Error('clock exploded: /var/task/secret-path');
      },
    });

  it('answer 500 with status fail and no error details', async () => {
    // Prepare
    const handler = failingHandler();
    // Act
    const result = await handler(
      structuredClone(getEvent) as APIGatewayProxyEventV2,
      lambdaContext(),
    );
    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['x-correlation-id']).toBe('probe-20261122-0001');
    const body = bodyOf(result);
    expect(body).toMatchObject({ status: 'fail', correlationId: 'probe-20261122-0001' });
    expect(String(result.body)).not.toContain('clock exploded');
    expect(String(result.body)).not.toContain('at ');
  });

  it('write exactly one ERROR line with the error and no success line', async () => {
    // Prepare
    const handler = failingHandler();
    const context = lambdaContext();
    // Act
    await handler(structuredClone(getEvent) as APIGatewayProxyEventV2, context);
    // Assess
    const lines = stdout.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'ERROR',
      event: 'smoke_test_failed',
      status: 'failure',
      correlation_id: 'probe-20261122-0001',
      function_request_id: context.awsRequestId,
      error: { name: 'Error', message: 'clock exploded: /var/task/secret-path' },
    });
  });

  it('keep HEAD bodies empty', async () => {
    // Prepare
    const handler = failingHandler();
    // Act
    const result = await handler(
      structuredClone(headEvent) as APIGatewayProxyEventV2,
      lambdaContext(),
    );
    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.body).toBe('');
  });

  it('marks a route heartbeat call in the line, and never logs the header itself', async () => {
    // Prepare
    const handler = await loadHandler();
    // Act
    const result = await handler(structuredClone(routeHeartbeatEvent), lambdaContext());
    // Assess
    expect(result.statusCode).toBe(200);
    const [line] = stdout.lines();
    expect(line).toMatchObject({
      event: 'smoke_test_executed',
      trigger: 'route-heartbeat',
      http_method: 'GET',
    });
    expect(JSON.stringify(line)).not.toContain('x-petsage-heartbeat');
  });
});
