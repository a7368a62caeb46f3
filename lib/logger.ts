import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from './config.ts';

/**
 * The one Logger of the function. Level and sampling come from the POWERTOOLS_* env; the service
 * from POWERTOOLS_SERVICE_NAME as loadConfig reads it, so it falls back to ours instead of
 * Powertools' "service_undefined".
 */
export const logger = new Logger({ serviceName: loadConfig().service });
