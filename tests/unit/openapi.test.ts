import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/health.ts';
import getEvent from '../../harness/lambda/events/http-api-get.json' with { type: 'json' };
import headEvent from '../../harness/lambda/events/http-api-head.json' with { type: 'json' };
import { lambdaContext } from '../../harness/lambda/lambda-context.ts';
import { loadConfig } from '../../lib/config.ts';
import { logger } from '../../lib/logger.ts';
import { fromResult, loadOpenApi, responseProblems } from '../helpers/openapi.ts';
import { captureOutput } from '../helpers/stdout.ts';

let openApi: Awaited<ReturnType<typeof loadOpenApi>>;

beforeAll(async () => {
  openApi = await loadOpenApi();
});

const invoke = async (event: unknown, now: () => Date = () => new Date()) => {
  const handler = createHandler({ config: loadConfig(), logger, now });
  const output = captureOutput();
  try {
    return fromResult(await handler(event as APIGatewayProxyEventV2, lambdaContext()));
  } finally {
    output.restore();
  }
};

describe('openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    expect(openApi.result.errors).toBeUndefined();
    expect(openApi.result.valid).toBe(true);
    expect(openApi.version).toBe('3.1');
  });

  it('documents GET and HEAD on /health and nothing else', () => {
    expect(Object.keys(openApi.spec.paths)).toStrictEqual(['/health']);
    const methods = Object.keys(openApi.spec.paths['/health'] ?? {}).filter(
      (key) => key !== 'parameters',
    );
    expect(methods.sort()).toStrictEqual(['get', 'head']);
  });
});

describe('real handler responses', () => {
  it('conform to the document for GET with JSON', async () => {
    const response = await invoke(structuredClone(getEvent));
    expect(responseProblems(openApi.spec, 'get', response)).toStrictEqual([]);
  });

  it('conform to the document for GET with application/health+json', async () => {
    const event = structuredClone(getEvent);
    event.headers.accept = 'application/health+json';
    const response = await invoke(event);
    expect(response.headers['content-type']).toBe('application/health+json');
    expect(responseProblems(openApi.spec, 'get', response)).toStrictEqual([]);
  });

  it('conform to the document for HEAD', async () => {
    const response = await invoke(structuredClone(headEvent));
    expect(responseProblems(openApi.spec, 'head', response)).toStrictEqual([]);
  });

  it('conform to the document for a 500', async () => {
    const response = await invoke(structuredClone(getEvent), () => {
      throw new Error('forced');
    });
    expect(response.statusCode).toBe(500);
    expect(responseProblems(openApi.spec, 'get', response)).toStrictEqual([]);
  });

  it('are checked for real: a wrong body is reported', async () => {
    const response = await invoke(structuredClone(getEvent));
    const body = { ...JSON.parse(response.body), status: 'pass', extra: true };
    const problems = responseProblems(openApi.spec, 'get', {
      ...response,
      body: JSON.stringify(body),
    });
    expect(problems.join('\n')).toMatch(/body/);
  });
});
