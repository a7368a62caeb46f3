import { Logger } from '@aws-lambda-powertools/logger';
import { DEFAULT_SERVICE_NAME } from './config.ts';

/**
 * The one Logger of the function. Level, sampling and service come from the POWERTOOLS_* env;
 * the service falls back to ours instead of Powertools' "service_undefined".
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME,
});
