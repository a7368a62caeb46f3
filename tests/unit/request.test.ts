import { describe, expect, it } from 'vitest';
import getEvent from '../../harness/events/http-api-get.json' with { type: 'json' };
import { readRequest } from '../../lib/request.ts';

describe('readRequest', () => {
  it('reads method, path, request id and the two headers it uses', () => {
    expect(readRequest(structuredClone(getEvent))).toStrictEqual({
      method: 'GET',
      path: '/health',
      correlationHeader: 'probe-20261122-0001',
      accept: 'application/json',
      apiRequestId: 'JKJaXmPLvHcESHA=',
    });
  });

  it('matches header names in any case', () => {
    const event = {
      ...structuredClone(getEvent),
      headers: { 'X-Correlation-ID': 'Mixed-1', Accept: 'application/health+json' },
    };
    const request = readRequest(event);
    expect(request.correlationHeader).toBe('Mixed-1');
    expect(request.accept).toBe('application/health+json');
  });

  it.each([
    null,
    undefined,
    42,
    'text',
    [],
    {},
    { headers: null, requestContext: null },
    { headers: { 'x-correlation-id': 7 }, requestContext: { http: { method: 5 } } },
  ])('reads %j as a non-HTTP invocation without throwing', (event) => {
    const request = readRequest(event);
    expect(request.method).toBeNull();
    expect(request.correlationHeader).toBeUndefined();
  });
});
