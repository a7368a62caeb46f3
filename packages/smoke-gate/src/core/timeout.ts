import { VERIFY_DEFAULTS } from './defaults.ts';
import { ConfigurationError } from './errors.ts';
import { safeText } from './safe-text.ts';

/**
 * Reads a deadline in seconds (a flag's string or serverless.yml's number): the default when
 * unset, else a number within VERIFY_DEFAULTS' range, or a ConfigurationError naming `source`.
 */
export function parseTimeoutSeconds(value: unknown, source: string): number {
  const { minTimeoutSeconds: min, maxTimeoutSeconds: max, timeoutSeconds } = VERIFY_DEFAULTS;
  if (value === undefined) return timeoutSeconds;
  const seconds =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < min || seconds > max) {
    throw new ConfigurationError(
      `${source} ${JSON.stringify(safeText(String(value), 40))} must be a number of seconds from ${min} to ${max}`,
    );
  }
  return seconds;
}
