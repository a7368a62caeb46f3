/** What a caller-supplied correlation id may look like; anything else is never echoed or logged. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:=-]{1,128}$/;

/** serverless-offline sends this same requestContext.requestId on every request. */
export const OFFLINE_PLACEHOLDER_REQUEST_ID = 'offlineContext_resourceId';

/** True when the value may be used, echoed and logged as a correlation id. */
export function isValidCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID_PATTERN.test(value);
}

/** Where a correlation id came from, for tests and the log line. */
export interface CorrelationSources {
  header: string | undefined;
  apiRequestId: string | undefined;
  lambdaRequestId: string | undefined;
}

/**
 * Picks the correlation id: a valid `x-correlation-id` header, else API Gateway's request id
 * (unless it is the offline placeholder), else Lambda's request id, else a fresh UUID.
 */
export function resolveCorrelationId(sources: CorrelationSources): string {
  if (isValidCorrelationId(sources.header)) return sources.header;
  if (
    isValidCorrelationId(sources.apiRequestId) &&
    sources.apiRequestId !== OFFLINE_PLACEHOLDER_REQUEST_ID
  ) {
    return sources.apiRequestId;
  }
  if (isValidCorrelationId(sources.lambdaRequestId)) return sources.lambdaRequestId;
  // Web Crypto's global: no eager node:crypto import (about 4 ms of cold start) for a rare path.
  return globalThis.crypto.randomUUID();
}
