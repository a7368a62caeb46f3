import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../harness/lambda/lambda-context.ts';
import { CORRELATION_ID_PATTERN, OFFLINE_PLACEHOLDER_REQUEST_ID } from '../../lib/correlation.ts';
import { captureOutput } from '../helpers/stdout.ts';

// `npm run test:fuzz` runs 10,000; `npm test` a smaller run.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Marks header values that must never be echoed or logged when they are invalid. */
const MARK = 'QZXJ7W9K';

type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
let output: ReturnType<typeof captureOutput>;

beforeAll(async () => {
  vi.stubEnv('STAGE', 'fuzz');
  vi.resetModules();
  handler = (await import('../../functions/health.ts')).handler as Handler;
  output = captureOutput();
});

afterAll(() => {
  output.restore();
  vi.unstubAllEnvs();
});

const nasty = fc.constantFrom(
  '\r\n{"level":"ERROR","forged":true}',
  '\u2028',
  '\u2029',
  '\u0000',
  '"',
  "'",
  ' ',
  '\\',
  '</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style payload, on purpose.
  '${jndi:ldap://x}',
);
/** Header values: valid ids, invalid ones carrying the marker, huge ones, and non-strings. */
const headerValue = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:=-]{1,128}$/) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.string(), nasty, fc.string()).map(([a, n, b]) => `${MARK}${a}${n}${b}`),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 129, maxLength: 300 }).map((s) => `${MARK}${s}`) },
  { weight: 1, arbitrary: fc.constant(`${MARK}${'x'.repeat(10_240)}`) },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.array(fc.string())),
  },
);
const headerName = fc.oneof(
  fc.constantFrom('x-correlation-id', 'X-Correlation-ID', 'X-CORRELATION-ID', 'accept', 'Accept'),
  fc.constantFrom('authorization', 'cookie', 'x-api-key', 'user-agent'),
  fc.string({ maxLength: 20 }),
);
const headers = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(headerName, headerValue, { maxKeys: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, 'headers', 42, []) },
);
const requestId = fc.oneof(
  fc.constant(OFFLINE_PLACEHOLDER_REQUEST_ID),
  fc.stringMatching(/^[A-Za-z0-9=]{16}$/),
  fc.string(),
  fc.constantFrom(null, 7, undefined),
);
const method = fc.oneof(
  fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS', 'get', 'head'),
  fc.string(),
  fc.constantFrom(null, 1),
);
const httpEvent = fc.record(
  {
    version: fc.constantFrom('2.0', '1.0', 'x'),
    rawPath: fc.oneof(fc.string(), fc.constant('/health')),
    headers,
    cookies: fc.array(fc.string(), { maxLength: 3 }),
    requestContext: fc.oneof(
      fc.record(
        {
          requestId,
          http: fc.oneof(
            fc.record(
              { method, path: fc.oneof(fc.string(), fc.constant('/health')) },
              { requiredKeys: [] },
            ),
            fc.constantFrom(null, 'http'),
          ),
        },
        { requiredKeys: [] },
      ),
      fc.constantFrom(null, 'context', 0),
    ),
    body: fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b).toString('base64')),
    ),
    isBase64Encoded: fc.boolean(),
  },
  { requiredKeys: [] },
);
const anyEvent = fc.oneof(
  { weight: 9, arbitrary: httpEvent },
  { weight: 1, arbitrary: fc.anything() },
);

/** Every string header value that the allowed pattern rejects. */
const invalidHeaderValues = (event: unknown): string[] => {
  if (typeof event !== 'object' || event === null || !('headers' in event)) return [];
  const h = event.headers;
  if (typeof h !== 'object' || h === null) return [];
  return Object.values(h).filter(
    (value): value is string => typeof value === 'string' && !CORRELATION_ID_PATTERN.test(value),
  );
};

/** The ids the function may use: valid x-correlation-id values, API Gateway's id, Lambda's id. */
const assignedOrValidIds = (event: unknown, lambdaRequestId: string): string[] => {
  const ids = [lambdaRequestId];
  if (typeof event !== 'object' || event === null) return ids;
  const record = event as Record<string, unknown>;
  if (typeof record.headers === 'object' && record.headers !== null) {
    for (const [name, value] of Object.entries(record.headers)) {
      if (name.toLowerCase() === 'x-correlation-id' && typeof value === 'string') ids.push(value);
    }
  }
  const context = record.requestContext;
  if (typeof context === 'object' && context !== null && 'requestId' in context) {
    const apiId = context.requestId;
    if (typeof apiId === 'string' && apiId !== OFFLINE_PLACEHOLDER_REQUEST_ID) ids.push(apiId);
  }
  return ids.filter((id) => CORRELATION_ID_PATTERN.test(id));
};

describe(`the handler under ${RUNS} arbitrary events`, () => {
  it('never throws, answers well-formed results and writes exactly one valid JSON line', async () => {
    await fc.assert(
      fc.asyncProperty(anyEvent, fc.uuid({ version: 4 }), async (event, requestIdValue) => {
        output.clear();
        const context = lambdaContext({ awsRequestId: requestIdValue });
        const result = await handler(event, context);

        expect(typeof result.statusCode).toBe('number');
        for (const value of Object.values(result.headers ?? {}))
          expect(typeof value).toBe('string');
        expect(typeof result.body).toBe('string');

        const lines = output.lines();
        expect(lines).toHaveLength(1);
        const [line] = lines;
        expect(['smoke_test_executed', 'smoke_test_failed']).toContain(line?.event);

        const id = String(result.headers?.['x-correlation-id']);
        expect(line?.correlation_id).toBe(id);
        expect(id).toMatch(CORRELATION_ID_PATTERN);
        expect(assignedOrValidIds(event, context.awsRequestId)).toContain(id);

        const seen = `${output.rawLines().join('\n')}\n${JSON.stringify(result)}`;
        for (const invalid of invalidHeaderValues(event)) {
          if (invalid.startsWith(MARK)) expect(seen).not.toContain(MARK);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
