import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { SmokeTestConfig } from './config.ts';
import {
  SMOKE_FAILED_LOG_EVENT,
  SMOKE_FAILED_LOG_MESSAGE,
  SMOKE_LOG_EVENT,
  SMOKE_LOG_MESSAGE,
} from './contract.ts';
import { resolveCorrelationId } from './correlation.ts';
import { buildResponse, negotiateContentType } from './http.ts';
import { buildFailurePayload, buildHealthPayload } from './payload.ts';
import { type RequestInfo, readRequest } from './request.ts';

/** Everything the smoke test depends on, passed in so tests control it. */
export interface SmokeTestDeps {
  config: SmokeTestConfig;
  logger: Logger;
  now: () => Date;
}

const requestKeys = (config: SmokeTestConfig, request: RequestInfo) => ({
  trigger: request.trigger,
  schedule_rule: request.scheduleRule,
  version: config.version,
  release_id: config.releaseId,
  stage: config.stage,
  http_method: request.method,
  path: request.path,
});

const correlationIdFor = (request: RequestInfo, context: Context): string =>
  resolveCorrelationId({
    header: request.correlationHeader,
    apiRequestId: request.apiRequestId,
    lambdaRequestId: context.awsRequestId,
  });

/**
 * Answers one smoke-test invocation and writes its one INFO line. Any event is answered: a
 * non-HTTP invocation (schedule, `serverless invoke`) gets the JSON answer of a GET.
 */
export function respondToSmokeTest(
  event: unknown,
  context: Context,
  deps: SmokeTestDeps,
): APIGatewayProxyStructuredResultV2 {
  const request = readRequest(event);
  const correlationId = correlationIdFor(request, context);
  const response = buildResponse({
    statusCode: 200,
    body: buildHealthPayload(deps.config, correlationId, deps.now()),
    contentType: negotiateContentType(request.accept),
    correlationId,
    method: request.method,
  });
  // Logged last: nothing after it can fail, so an invocation writes this line or the failure line.
  // correlation_id goes in as a key of this line, not as a logger-wide key: no state to reset.
  deps.logger.info(SMOKE_LOG_MESSAGE, {
    correlation_id: correlationId,
    event: SMOKE_LOG_EVENT,
    status: 'success',
    ...requestKeys(deps.config, request),
  });
  return response;
}

/**
 * Middy middleware: turns any error into a 500 `{"status":"fail"}` answer and one ERROR line,
 * so the function never throws to the runtime. Use it after injectLambdaContext so the line
 * still carries the Lambda context.
 */
export function smokeTestFailureHandler(
  deps: Pick<SmokeTestDeps, 'config' | 'logger'>,
): MiddlewareObj<unknown, APIGatewayProxyStructuredResultV2> {
  const smokeTestFailureHandlerOnError: MiddlewareObj<
    unknown,
    APIGatewayProxyStructuredResultV2
  >['onError'] = (middyRequest) => {
    const request = readRequest(middyRequest.event);
    const correlationId = correlationIdFor(request, middyRequest.context);
    try {
      deps.logger.error(SMOKE_FAILED_LOG_MESSAGE, {
        correlation_id: correlationId,
        event: SMOKE_FAILED_LOG_EVENT,
        status: 'failure',
        ...requestKeys(deps.config, request),
        error: middyRequest.error,
      });
    } catch {
      // The answer matters more than the line; stdout itself failing leaves nothing to log to.
    }
    middyRequest.response = buildResponse({
      statusCode: 500,
      body: buildFailurePayload(deps.config, correlationId, new Date()),
      contentType: negotiateContentType(request.accept),
      correlationId,
      method: request.method,
    });
  };
  return { onError: smokeTestFailureHandlerOnError };
}
