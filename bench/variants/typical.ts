// Our handler wired the way common templates do: Middy's default early-timeout timer and
// logEvent: true (built as CommonJS, not minified, by bench/run.ts).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from '../../lib/config.ts';
import { logger } from '../../lib/logger.ts';
import { respondToSmokeTest, smokeTestFailureHandler } from '../../lib/smoke-test.ts';

const deps = { config: loadConfig(), logger, now: () => new Date() };

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { logEvent: true }))
  .use(smokeTestFailureHandler(deps))
  .handler((event, context) => respondToSmokeTest(event, context, deps));
