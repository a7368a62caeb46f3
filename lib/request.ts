import { ROUTE_HEARTBEAT_HEADER, ROUTE_HEARTBEAT_MARKER, type SmokeTrigger } from './contract.ts';

/** The parts of an invocation event the smoke test reads; every field may be missing. */
export interface RequestInfo {
  /** What invoked the function: API Gateway (the route heartbeat or other traffic), the direct heartbeat, or anything else. */
  trigger: SmokeTrigger;
  /** The EventBridge rule's name, for a scheduled invocation. */
  scheduleRule: string | null;
  /** HTTP method, or null when the invocation did not come through API Gateway. */
  method: string | null;
  path: string | null;
  correlationHeader: string | undefined;
  accept: string | undefined;
  apiRequestId: string | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Reads an HTTP API (payload 2.0) event defensively: the runtime can hand the function any JSON,
 * from a scheduled event to `{}` or `null`. Header names are matched in any case.
 */
export function readRequest(event: unknown): RequestInfo {
  const info: RequestInfo = {
    trigger: 'direct',
    scheduleRule: null,
    method: null,
    path: null,
    correlationHeader: undefined,
    accept: undefined,
    apiRequestId: undefined,
  };
  if (!isRecord(event)) return info;

  const requestContext = isRecord(event.requestContext) ? event.requestContext : undefined;
  const http = isRecord(requestContext?.http) ? requestContext.http : undefined;
  info.method = asString(http?.method)?.toUpperCase() ?? null;
  info.path = asString(http?.path) ?? asString(event.rawPath) ?? null;
  info.apiRequestId = asString(requestContext?.requestId);
  if (info.method !== null) info.trigger = 'http';
  else if (event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event') {
    info.trigger = 'schedule';
    const rule = Array.isArray(event.resources) ? asString(event.resources[0]) : undefined;
    info.scheduleRule = rule?.slice(rule.lastIndexOf('/') + 1) || null;
  }

  if (isRecord(event.headers)) {
    for (const [name, value] of Object.entries(event.headers)) {
      if (typeof value !== 'string') continue;
      const lower = name.toLowerCase();
      if (lower === 'x-correlation-id') info.correlationHeader = value;
      else if (lower === 'accept') info.accept = value;
      // Only compared, never logged: the line says which trigger, not what the header held.
      else if (lower === ROUTE_HEARTBEAT_HEADER && value === ROUTE_HEARTBEAT_MARKER) {
        if (info.trigger === 'http') info.trigger = 'route-heartbeat';
      }
    }
  }
  return info;
}
