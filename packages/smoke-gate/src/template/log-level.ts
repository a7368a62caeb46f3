import { DEPLOYABLE_LOG_LEVELS } from '../core/contract.ts';

/** The part of a service's configuration the log-level guard reads and sets. */
export interface LogLevelService {
  provider?: {
    environment?: Record<string, unknown>;
    logs?: { lambda?: Record<string, unknown> } & Record<string, unknown>;
  };
}

/**
 * Normalises provider.environment.POWERTOOLS_LOG_LEVEL (any case) and sets Lambda's application
 * log level to match, so neither can hide the smoke line. Returns a one-line error for a level
 * that would (WARN, ERROR, a typo), or undefined.
 */
export function applyDeployableLogLevel(service: LogLevelService | undefined): string | undefined {
  const provider = service?.provider;
  if (provider === undefined) return undefined;
  const raw = provider.environment?.POWERTOOLS_LOG_LEVEL;
  const level = String(raw ?? 'INFO')
    .trim()
    .toUpperCase();
  if (!(DEPLOYABLE_LOG_LEVELS as readonly string[]).includes(level)) {
    const shown = JSON.stringify(String(raw)).slice(0, 60);
    return `POWERTOOLS_LOG_LEVEL ${shown} cannot be deployed: it must be one of ${DEPLOYABLE_LOG_LEVELS.join(', ')} (any case), or the smoke test line is hidden. Set it in the deploying shell or in serverless.yml provider.environment.`;
  }
  provider.environment = { ...provider.environment, POWERTOOLS_LOG_LEVEL: level };
  provider.logs ??= {};
  provider.logs.lambda = { ...provider.logs.lambda, applicationLogLevel: level };
  return undefined;
}

/** A compiled template's functions, as far as their logging configuration goes. */
interface LoggingTemplate {
  Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
}

/**
 * Serverless v3 ignores provider.logs.lambda: with the guard on, each function that the
 * framework compiled without a LoggingConfig gets it here (format, application and system log
 * levels), so the level the guard set is deployed there too. osls writes it itself: untouched.
 */
export function writeLoggingConfig(
  template: LoggingTemplate | undefined,
  lambda: Record<string, unknown> | undefined,
): string[] {
  if (lambda === undefined) return [];
  const config = {
    ...(lambda.logFormat === undefined ? {} : { LogFormat: lambda.logFormat }),
    ...(lambda.applicationLogLevel === undefined
      ? {}
      : { ApplicationLogLevel: lambda.applicationLogLevel }),
    ...(lambda.systemLogLevel === undefined ? {} : { SystemLogLevel: lambda.systemLogLevel }),
  };
  const written: string[] = [];
  for (const [id, resource] of Object.entries(template?.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function' || resource.Properties === undefined) continue;
    if (resource.Properties.LoggingConfig !== undefined) continue;
    resource.Properties.LoggingConfig = config;
    written.push(id);
  }
  return written;
}
