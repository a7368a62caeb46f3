import { describe, expect, it } from 'vitest';
import getEvent from '../../harness/lambda/events/http-api-get.json' with { type: 'json' };
import routeHeartbeatEvent from '../../harness/lambda/events/http-api-route-heartbeat.json' with {
  type: 'json',
};
import scheduledEvent from '../../harness/lambda/events/scheduled-event.json' with { type: 'json' };
import { readRequest } from '../../lib/request.ts';

describe('readRequest', () => {
  it('reads method, path, request id and the two headers it uses', () => {
    expect(readRequest(structuredClone(getEvent))).toStrictEqual({
      trigger: 'http',
      scheduleRule: null,
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
    expect(request.trigger).toBe('direct');
  });

  it('reads an EventBridge schedule as the heartbeat, with its rule name', () => {
    expect(readRequest(structuredClone(scheduledEvent))).toMatchObject({
      trigger: 'schedule',
      scheduleRule: 'petsage-smoke-test-dev-heartbeat',
      method: null,
    });
  });

  it.each([
    ['another EventBridge event', { source: 'aws.events', 'detail-type': 'Object Created' }],
    [
      'a schedule-looking event from elsewhere',
      { source: 'my.app', 'detail-type': 'Scheduled Event' },
    ],
  ])('does not take %s for the heartbeat', (_name, event) => {
    expect(readRequest(event).trigger).toBe('direct');
  });

  it('reads a route call carrying the heartbeat marker as the route heartbeat', () => {
    expect(readRequest(structuredClone(routeHeartbeatEvent))).toMatchObject({
      trigger: 'route-heartbeat',
      method: 'GET',
      path: '/health',
    });
  });

  it.each([
    ['another value', 'Route-Heartbeat '],
    ['an empty value', ''],
  ])('reads a marker header with %s as ordinary traffic', (_name, value) => {
    // Prepare
    const event = structuredClone(routeHeartbeatEvent);
    event.headers['x-petsage-heartbeat'] = value;
    // Act
    const request = readRequest(event);
    // Assess
    expect(request.trigger).toBe('http');
  });
});
