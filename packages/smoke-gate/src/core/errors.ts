/**
 * A problem with how the verifier was called or configured (arguments, credentials, permissions,
 * a missing log group or stack), or a check that could not be made: exit code 2, with a message
 * that says what to fix. Never a verdict on the deployment.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** The one deadline ran out before a step that must finish (credentials, stack lookup) did. */
export class DeadlineError extends ConfigurationError {
  override name = 'DeadlineError';
}
