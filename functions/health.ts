import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from '../lib/config.ts';
import { logger } from '../lib/logger.ts';
import {
  respondToSmokeTest,
  type SmokeTestDeps,
  smokeTestFailureHandler,
} from '../lib/smoke-test.ts';

/** Wires the smoke test into Middy; tests build their own with a controlled clock. */
export const createHandler = (deps: SmokeTestDeps) =>
  // No early-timeout timer: the handler does no I/O, and the timer costs on every call.
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({ timeoutEarlyInMillis: 0 })
    // logEvent: false wins over POWERTOOLS_LOGGER_LOG_EVENT: the event carries headers and cookies.
    // No resetKeys: per-call keys go on the line itself, so there is no logger state to reset
    // (resetting costs about 1.4 µs a call; see BENCHMARKS.md).
    .use(injectLambdaContext(deps.logger, { logEvent: false }))
    .use(smokeTestFailureHandler(deps))
    .handler((event, context) => respondToSmokeTest(event, context, deps));

/** The Lambda entry point for GET and HEAD on the health route. */
export const handler = createHandler({ config: loadConfig(), logger, now: () => new Date() });
