// The floor: the chosen libraries alone (Middy + Powertools Logger), one line, a static body.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const logger = new Logger({ serviceName: 'petsage-smoke-test' });
const body = JSON.stringify({ status: 'ok', message: 'PetSage system is alive and purring!' });

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
  timeoutEarlyInMillis: 0,
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(() => {
    logger.info('smoke test executed', { event: 'smoke_test_executed', status: 'success' });
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
  });
