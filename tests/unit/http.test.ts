import { describe, expect, it } from 'vitest';
import { HEALTH_JSON } from '../../lib/contract.ts';
import { buildHeaders, buildResponse, JSON_UTF8, negotiateContentType } from '../../lib/http.ts';

describe('negotiateContentType', () => {
  it.each([
    [undefined, JSON_UTF8],
    ['', JSON_UTF8],
    ['*/*', JSON_UTF8],
    ['application/json', JSON_UTF8],
    ['text/html', JSON_UTF8],
    ['application/health+json', HEALTH_JSON],
    ['APPLICATION/HEALTH+JSON', HEALTH_JSON],
    ['application/health+json, application/json;q=0.9', HEALTH_JSON],
    ['application/json, application/health+json', HEALTH_JSON],
    ['application/health+json;q=0.5, application/json', JSON_UTF8],
    ['application/health+json;q=0.5, */*;q=0.1', HEALTH_JSON],
    ['application/health+json;q=0', JSON_UTF8],
    ['application/health+json;q=nonsense', JSON_UTF8],
    ['application/health+json ; q=1.0 , text/plain', HEALTH_JSON],
    ['application/json;q=0.2, */*;q=1, application/health+json;q=0.5', HEALTH_JSON],
    // The most specific range that matches JSON decides its quality, wherever it stands.
    ['*/*;q=1, application/*;q=0.9, application/health+json;q=0.8', JSON_UTF8],
    ['application/*;q=0.9, */*;q=0.1, application/health+json;q=0.5', JSON_UTF8],
    ['*/*;q=0.9, application/health+json;q=0.5', JSON_UTF8],
    ['application/*;q=0.3, application/health+json;q=0.5', HEALTH_JSON],
    ['application/json;q=0.3, application/*;q=1, application/health+json;q=0.5', HEALTH_JSON],
    ['*/*;q=0.3, application/health+json;q=0.5', HEALTH_JSON],
    ['text/*;q=1, application/health+json;q=0.5', HEALTH_JSON],
    // q-values out of range count as 0; an equal rank goes to health+json.
    ['application/health+json;q=1.5', JSON_UTF8],
    ['application/health+json;q=-0.1', JSON_UTF8],
    ['application/health+json;q=0.5, application/json;q=0.5', HEALTH_JSON],
    ['application/health+json;level=1;Q= 0.4 , application/json;q=0.5', JSON_UTF8],
    ['application/health+json;charset=utf-8', HEALTH_JSON],
  ])('answers Accept %j with %s', (accept, expected) => {
    expect(negotiateContentType(accept)).toBe(expected);
  });
});

describe('buildHeaders', () => {
  it('sets the content type, no-store caching, nosniff and the correlation id', () => {
    expect(buildHeaders(HEALTH_JSON, 'probe-1')).toStrictEqual({
      'content-type': HEALTH_JSON,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-correlation-id': 'probe-1',
    });
  });
});

describe('buildResponse', () => {
  const options = {
    statusCode: 200,
    body: { status: 'ok' },
    contentType: JSON_UTF8,
    correlationId: 'probe-1',
  };

  it('serialises the body for GET', () => {
    const result = buildResponse({ ...options, method: 'GET' });
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('{"status":"ok"}');
  });

  it('keeps status and headers but empties the body for HEAD', () => {
    const get = buildResponse({ ...options, method: 'GET' });
    const head = buildResponse({ ...options, method: 'HEAD' });
    expect(head.statusCode).toBe(get.statusCode);
    expect(head.headers).toStrictEqual(get.headers);
    expect(head.body).toBe('');
  });

  it('answers a non-HTTP invocation with the JSON body', () => {
    expect(buildResponse({ ...options, method: null }).body).toBe('{"status":"ok"}');
  });
});
