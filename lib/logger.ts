import { Logger, LogLevel } from '@aws-lambda-powertools/logger';
import { loadConfig } from './config.ts';
import { DEPLOYABLE_LOG_LEVELS } from './contract.ts';

/** A Powertools log level name. */
export type LogLevelName = keyof typeof LogLevel;

/**
 * The level named by a setting such as POWERTOOLS_LOG_LEVEL, in any case. Anything that is not a
 * level (including `constructor` or `toString`, which Powertools' own `in` check would take) is
 * undefined.
 */
export function parseLogLevel(value: string | undefined): LogLevelName | undefined {
  const name = value?.trim().toUpperCase() ?? '';
  return Object.hasOwn(LogLevel, name) ? (name as LogLevelName) : undefined;
}

/** True when a level lets the INFO smoke line through. */
export const keepsSmokeLine = (level: LogLevelName | undefined): boolean =>
  level === undefined || (DEPLOYABLE_LOG_LEVELS as readonly string[]).includes(level);

/**
 * Builds the Logger from the environment: the level from POWERTOOLS_LOG_LEVEL (INFO when unset or
 * not a level), the service as loadConfig reads it. When that level or Lambda's application log
 * level (AWS_LAMBDA_LOG_LEVEL) would hide the smoke line, says so once on stderr at init instead of
 * failing silently.
 */
export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const level = parseLogLevel(env.POWERTOOLS_LOG_LEVEL) ?? 'INFO';
  const lambdaLevel = parseLogLevel(env.AWS_LAMBDA_LOG_LEVEL);
  const service = loadConfig(env).service;
  if (!keepsSmokeLine(level) || !keepsSmokeLine(lambdaLevel)) {
    process.stderr.write(
      `${JSON.stringify({
        level: 'WARN',
        message: 'smoke test line hidden by the log level',
        service,
        event: 'smoke_test_line_hidden',
        powertools_log_level: level,
        lambda_log_level: lambdaLevel ?? null,
      })}\n`,
    );
  }
  return new Logger({ serviceName: service, logLevel: level });
}

/** The one Logger of the function. */
export const logger = createLogger();
