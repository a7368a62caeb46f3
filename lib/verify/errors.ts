/**
 * A problem with how the verifier was called or configured (arguments, credentials, permissions,
 * a missing log group or stack): exit code 2, with a message that says what to fix.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Exit codes of `petsage-smoke verify`. */
export const EXIT_VERIFIED = 0;
export const EXIT_FAILED = 1;
export const EXIT_CONFIGURATION = 2;
