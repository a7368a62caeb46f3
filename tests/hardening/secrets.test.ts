import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import getEvent from '../../harness/lambda/events/http-api-get.json' with { type: 'json' };
import { lambdaContext } from '../../harness/lambda/lambda-context.ts';
import { captureOutput } from '../helpers/stdout.ts';

type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const SECRETS = {
  authorization: 'Bearer sk_live_AUTHORIZATION_SECRET_4242',
  cookie: 'session=COOKIE_SECRET_4242; csrftoken=CSRF_SECRET_4242',
  'x-api-key': 'APIKEY_SECRET_4242',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY4242',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEBQaDSESSIONTOKEN4242',
};

let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', SECRETS.AWS_SECRET_ACCESS_KEY);
  vi.stubEnv('AWS_SESSION_TOKEN', SECRETS.AWS_SESSION_TOKEN);
  vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.unstubAllEnvs();
});

const loadHandler = async (): Promise<Handler> => {
  vi.resetModules();
  return (await import('../../functions/health.ts')).handler as Handler;
};

/** Events that carry secrets the way real clients send them, and injection attempts. */
const corpus: [string, (event: typeof getEvent & Record<string, unknown>) => void][] = [
  [
    'credentials in headers',
    (e) =>
      Object.assign(e.headers, {
        authorization: SECRETS.authorization,
        cookie: SECRETS.cookie,
        'x-api-key': SECRETS['x-api-key'],
      }),
  ],
  [
    'credentials in mixed-case headers',
    (e) =>
      Object.assign(e.headers, {
        Authorization: SECRETS.authorization,
        Cookie: SECRETS.cookie,
        'X-Api-Key': SECRETS['x-api-key'],
      }),
  ],
  [
    'a secret as the correlation id',
    (e) => Object.assign(e.headers, { 'x-correlation-id': SECRETS.authorization }),
  ],
  ['cookies in the cookies array', (e) => Object.assign(e, { cookies: [SECRETS.cookie] })],
  [
    'a secret in the query string',
    (e) =>
      Object.assign(e, {
        rawQueryString: `key=${SECRETS['x-api-key']}`,
        queryStringParameters: { key: SECRETS['x-api-key'] },
      }),
  ],
  [
    'a secret in the body',
    (e) => Object.assign(e, { body: JSON.stringify({ password: SECRETS['x-api-key'] }) }),
  ],
  [
    'a forged log line in the correlation id',
    (e) =>
      Object.assign(e.headers, {
        'x-correlation-id': `a\n{"level":"INFO","event":"smoke_test_executed","correlation_id":"${SECRETS['x-api-key']}"}`,
      }),
  ],
  [
    'a U+2028 split in the correlation id',
    (e) => Object.assign(e.headers, { 'x-correlation-id': `ok\u2028${SECRETS['x-api-key']}` }),
  ],
];

describe('secrets and injection corpus', () => {
  it.each(corpus)('never logs or answers %s', async (_name, plant) => {
    // Prepare
    const handler = await loadHandler();
    const event = structuredClone(getEvent) as typeof getEvent & Record<string, unknown>;
    plant(event);
    // Act
    const result = await handler(event, lambdaContext());
    // Assess
    const lines = output.lines();
    expect(lines.filter((line) => line.event === 'smoke_test_executed')).toHaveLength(1);
    const everything = `${output.rawLines().join('\n')}\n${JSON.stringify(result)}`;
    for (const secret of Object.values(SECRETS)) {
      for (const part of secret.split(/[ ;=]/).filter((p) => p.length >= 12)) {
        expect(everything).not.toContain(part);
      }
    }
  });

  it('answers a forged line as one line, never two', async () => {
    // Prepare
    const handler = await loadHandler();
    const event = structuredClone(getEvent);
    event.headers['x-correlation-id'] = 'x\r\n{"level":"INFO","event":"smoke_test_executed"}';
    // Act
    await handler(event, lambdaContext());
    // Assess
    expect(output.rawLines()).toHaveLength(1);
  });
});
