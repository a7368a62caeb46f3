// The physical limit: no dependencies; one JSON stdout line and the same response as ours.
// Like ours, it takes a fresh UUID from the Web Crypto global, loaded only if that path runs (an
// eager `node:crypto` import costs about 7 ms of Init: see BENCHMARKS.md).
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';

const ID = /^[A-Za-z0-9._:=-]{1,128}$/;
let coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';

export const handler = async (
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const header = event?.headers?.['x-correlation-id'];
  const correlationId =
    header !== undefined && ID.test(header)
      ? header
      : (event?.requestContext?.requestId ??
        context.awsRequestId ??
        globalThis.crypto.randomUUID());
  const timestamp = new Date().toISOString();
  process.stdout.write(
    `${JSON.stringify({
      level: 'INFO',
      message: 'smoke test executed',
      timestamp,
      service: 'petsage-smoke-test',
      cold_start: coldStart,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
      correlation_id: correlationId,
      event: 'smoke_test_executed',
      status: 'success',
      http_method: event?.requestContext?.http?.method,
      path: event?.requestContext?.http?.path,
    })}\n`,
  );
  coldStart = false;
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-correlation-id': correlationId,
    },
    body: JSON.stringify({
      status: 'ok',
      message: 'PetSage system is alive and purring!',
      feature: 'smoke_test',
      service: 'petsage-smoke-test',
      version: '1.0.0',
      releaseId: 'unknown',
      stage: 'bench',
      timestamp,
      correlationId,
    }),
  };
};
