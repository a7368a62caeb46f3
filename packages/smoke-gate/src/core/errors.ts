/**
 * Could not judge (exit 2): the request was wrong (arguments, credentials, permissions, a missing
 * log group or stack), a check could not be made, the deadline ran out, or another deploy took
 * over. The message says what to fix or to retry. Never a verdict on the deployment.
 */
export class CouldNotJudgeError extends Error {
  override name = 'CouldNotJudgeError';
}

/** The one deadline ran out before a step that must finish (credentials, stack lookup) did. */
export class DeadlineError extends CouldNotJudgeError {
  override name = 'DeadlineError';
}
