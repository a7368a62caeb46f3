import type { SmokeTestConfig } from './config.ts';
import { SMOKE_TEST_FEATURE, SMOKE_TEST_MESSAGE } from './contract.ts';

/** The body of a successful smoke test. */
export interface HealthPayload {
  status: 'ok';
  message: string;
  feature: string;
  service: string;
  version: string;
  releaseId: string;
  stage: string;
  timestamp: string;
  correlationId: string;
}

/** The body of a failed smoke test: no error text, no stack. */
export interface FailurePayload {
  status: 'fail';
  message: string;
  feature: string;
  service: string;
  timestamp: string;
  correlationId: string;
}

/** Builds the success body; `now` is passed in so tests control the clock. */
export function buildHealthPayload(
  config: SmokeTestConfig,
  correlationId: string,
  now: Date,
): HealthPayload {
  return {
    status: 'ok',
    message: SMOKE_TEST_MESSAGE,
    feature: SMOKE_TEST_FEATURE,
    service: config.service,
    version: config.version,
    releaseId: config.releaseId,
    stage: config.stage,
    timestamp: now.toISOString(),
    correlationId,
  };
}

/** Builds the failure body, safe to show to anyone. */
export function buildFailurePayload(
  config: SmokeTestConfig,
  correlationId: string,
  now: Date,
): FailurePayload {
  return {
    status: 'fail',
    message: 'PetSage smoke test failed; see the function log for this correlation id.',
    feature: SMOKE_TEST_FEATURE,
    service: config.service,
    timestamp: now.toISOString(),
    correlationId,
  };
}
