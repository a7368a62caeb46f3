import {
  SMOKE_LOG_EVENT,
  SMOKE_LOG_LEVEL,
  SMOKE_LOG_MESSAGE,
  SMOKE_TEST_FEATURE,
  SMOKE_TEST_MESSAGE,
} from '../../lib/contract.ts';

/** A successful health body for a correlation id, as the deployed function answers. */
export const healthBody = (correlationId: string, overrides: Record<string, unknown> = {}) => ({
  status: 'ok',
  message: SMOKE_TEST_MESSAGE,
  feature: SMOKE_TEST_FEATURE,
  service: 'petsage-smoke-test',
  version: '1.0.0',
  releaseId: 'abc',
  stage: 'test',
  timestamp: '2026-11-22T03:05:10.120Z',
  correlationId,
  ...overrides,
});

/** The smoke line the function writes for a correlation id, as one JSON text. */
export const smokeLine = (correlationId: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    level: SMOKE_LOG_LEVEL,
    message: SMOKE_LOG_MESSAGE,
    timestamp: '2026-11-22T03:05:10.120Z',
    service: 'petsage-smoke-test',
    function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    correlation_id: correlationId,
    event: SMOKE_LOG_EVENT,
    status: 'success',
    ...overrides,
  });
