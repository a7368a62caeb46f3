import { CouldNotJudgeError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';

/** How the verifier treats an error from an AWS call. */
export type AwsErrorClass = 'throttled' | 'transient' | 'configuration';

interface AwsLikeError {
  name: string;
  message: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

const asAwsError = (error: unknown): AwsLikeError =>
  error instanceof Error
    ? (error as unknown as AwsLikeError)
    : { name: typeof error === 'string' ? error : 'UnknownError', message: String(error) };

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
  'RequestLimitExceeded',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);

/** The network error code of an error or its cause chain (ENOTFOUND, ECONNREFUSED…). */
const networkCode = (error: unknown): string | undefined => {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
};

/** Sorts an AWS SDK error: retry it (throttled, transient) or report it as exit 2. */
export function classifyAwsError(error: unknown): AwsErrorClass {
  const aws = asAwsError(error);
  if (THROTTLING.has(aws.name) || aws.$metadata?.httpStatusCode === 429) return 'throttled';
  const code = networkCode(error);
  if (code === 'ENOTFOUND') return 'configuration';
  if (code !== undefined) return 'transient';
  if (aws.$fault === 'server' || (aws.$metadata?.httpStatusCode ?? 0) >= 500) return 'transient';
  // An answer the SDK could not parse (a proxy's HTML page, a truncated body).
  if (aws.name === 'SyntaxError' || /Deserialization error|Unexpected token/i.test(aws.message)) {
    return 'transient';
  }
  if (aws.name === 'TimeoutError' || aws.name === 'AbortError') return 'transient';
  return 'configuration';
}

/** Where the error came from, for messages: the service call and the settings involved. */
export interface AwsCallContext {
  /** e.g. `CloudWatch Logs group /aws/lambda/x` or `CloudFormation stack orders-dev`. */
  what: string;
  region?: string | undefined;
  profile?: string | undefined;
  /** The permission the call needs, named when access is denied (else the verifier's own). */
  needs?: string | undefined;
}

/**
 * The one-line configuration error (exit 2) for an AWS error a user must fix: what failed, why in
 * words, and what to change. AWS's own message is cut and escaped; no SDK internals.
 */
export function awsConfigurationError(error: unknown, context: AwsCallContext): CouldNotJudgeError {
  const aws = asAwsError(error);
  const detail = safeText(aws.message, 160);
  const say = (text: string) => new CouldNotJudgeError(`${context.what}: ${text}`);
  if (networkCode(error) === 'ENOTFOUND') {
    return say(
      `the AWS endpoint does not resolve (region "${safeText(context.region ?? 'unset')}"?). Check --region, or --endpoint-url for a local stand-in.`,
    );
  }
  if (aws.name === 'ResourceNotFoundException') {
    return say(
      'not found. Check the log group name (--log-group), the region (--region) and that the stack was deployed.',
    );
  }
  if (aws.name === 'InvalidParameterException' || aws.name === 'ValidationError') {
    return say(`the service rejected the request (${aws.name}: ${detail}). Check --log-group.`);
  }
  if (ACCESS_DENIED.has(aws.name) || aws.name.startsWith('ExpiredToken')) {
    return say(
      context.needs === undefined
        ? `access denied (${aws.name}). The verifier needs logs:FilterLogEvents on the log group, and cloudformation:DescribeStacks with --stage.`
        : `access denied (${aws.name}). It needs ${context.needs}.`,
    );
  }
  if (aws.name === 'CredentialsProviderError' || /credential/i.test(aws.message)) {
    return say(
      context.profile === undefined
        ? 'no usable AWS credentials. Set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.'
        : `no usable AWS credentials for profile "${safeText(context.profile)}" (${detail}). Check that the profile exists in ~/.aws/config or ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE).`,
    );
  }
  if (/region is missing/i.test(aws.message)) {
    return say('no AWS region. Pass --region or set AWS_REGION (or AWS_DEFAULT_REGION).');
  }
  return say(`${safeText(aws.name, 60)}: ${detail}`);
}
