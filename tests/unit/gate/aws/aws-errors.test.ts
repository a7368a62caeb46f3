import { describe, expect, it } from 'vitest';
import {
  awsConfigurationError,
  classifyAwsError,
} from '../../../../packages/smoke-gate/src/aws/aws-errors.ts';

/** An error shaped as the AWS SDK v3 throws them. */
const awsError = (name: string, extra: Record<string, unknown> = {}, message = name) =>
  Object.assign(new Error(message), { name, ...extra });

const networkError = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

/** A network error under `depth` layers of causes. */
const nested = (depth: number, code: string): Error => {
  let error: Error = Object.assign(new Error(code), { code });
  for (let i = 0; i < depth; i++) error = new Error(`layer ${i}`, { cause: error });
  return error;
};

describe('classifyAwsError', () => {
  it.each([
    ['ThrottlingException', awsError('ThrottlingException'), 'throttled'],
    // CloudFormation's throttle is plain "Throttling" (Query protocol), with a 400.
    [
      'CloudFormation’s Throttling',
      awsError('Throttling', { $metadata: { httpStatusCode: 400 } }),
      'throttled',
    ],
    ['TooManyRequestsException', awsError('TooManyRequestsException'), 'throttled'],
    ['LimitExceededException', awsError('LimitExceededException'), 'throttled'],
    ['RequestLimitExceeded', awsError('RequestLimitExceeded'), 'throttled'],
    [
      'a 5xx without $fault (a proxy)',
      awsError('Unknown', { $metadata: { httpStatusCode: 502 } }),
      'transient',
    ],
    [
      'a 4xx without $fault',
      awsError('Unknown', { $metadata: { httpStatusCode: 400 } }),
      'configuration',
    ],
    ['an aborted call', awsError('AbortError'), 'transient'],
    ['a reset connection', networkError('ECONNRESET'), 'transient'],
    [
      'a deserialization error',
      awsError('Error', {}, 'Deserialization error: to see the raw response'),
      'transient',
    ],
    ['an HTTP 429', awsError('Whatever', { $metadata: { httpStatusCode: 429 } }), 'throttled'],
    ['a refused connection', networkError('ECONNREFUSED'), 'transient'],
    ['a 503', awsError('ServiceUnavailable', { $fault: 'server' }), 'transient'],
    ['an unparseable answer', awsError('SyntaxError', {}, 'Unexpected token <'), 'transient'],
    ['a timeout', awsError('TimeoutError'), 'transient'],
    ['a host that does not resolve', networkError('ENOTFOUND'), 'configuration'],
    ['a DNS retry (EAI_AGAIN)', networkError('EAI_AGAIN'), 'transient'],
    [
      'a code that is not a network code',
      awsError('Whatever', { code: 'Econnrefused' }),
      'configuration',
    ],
    ['a network code wrapped five deep', nested(4, 'ECONNRESET'), 'transient'],
    ['a network code wrapped six deep (not followed)', nested(5, 'ECONNRESET'), 'configuration'],
    [
      'a 500 with no $fault',
      awsError('Unknown', { $metadata: { httpStatusCode: 500 } }),
      'transient',
    ],
    ['a 499', awsError('Unknown', { $metadata: { httpStatusCode: 499 } }), 'configuration'],
    [
      'an answer that is not XML or JSON',
      awsError('Error', {}, 'Unexpected token < in JSON'),
      'transient',
    ],
    ['a thrown string', 'boom' as unknown as Error, 'configuration'],
    ['access denied', awsError('AccessDeniedException'), 'configuration'],
    ['a missing log group', awsError('ResourceNotFoundException'), 'configuration'],
  ])('sorts %s', (_name, error, expected) => {
    expect(classifyAwsError(error)).toBe(expected);
  });
});

describe('awsConfigurationError', () => {
  const context = { what: 'CloudWatch Logs group /aws/lambda/x', region: 'eu-west-1' };

  it.each([
    [
      awsError('AccessDeniedException'),
      /access denied \(AccessDeniedException\)\. The verifier needs logs:FilterLogEvents/,
    ],
    [awsError('ResourceNotFoundException'), /not found\. Check the log group name \(--log-group\)/],
    [awsError('UnauthorizedOperation'), /access denied \(UnauthorizedOperation\)/],
    [awsError('UnrecognizedClientException'), /access denied \(UnrecognizedClientException\)/],
    [awsError('InvalidClientTokenId'), /access denied \(InvalidClientTokenId\)/],
    [awsError('InvalidSignatureException'), /access denied \(InvalidSignatureException\)/],
    [awsError('SignatureDoesNotMatch'), /access denied \(SignatureDoesNotMatch\)/],
    [awsError('ExpiredTokenException'), /access denied \(ExpiredTokenException\)/],
    [
      awsError('InvalidParameterException', {}, 'bad name'),
      /the service rejected the request \(InvalidParameterException: bad name\)/,
    ],
    [
      awsError('ValidationError', {}, 'bad stack'),
      /the service rejected the request \(ValidationError: bad stack\)/,
    ],
    [awsError('ConfigError', {}, 'Region is missing'), /no AWS region\. Pass --region/],
    [awsError('WeirdError', {}, 'something odd'), /: WeirdError: something odd$/],
    [networkError('ENOTFOUND'), /does not resolve \(region "eu-west-1"\?\)/],
    [
      awsError('CredentialsProviderError', {}, 'Could not load credentials'),
      /no usable AWS credentials\. Set AWS_PROFILE/,
    ],
  ])('says what to fix in one line: %s', (error, message) => {
    // Act
    const result = awsConfigurationError(error, context);
    // Assess
    expect(result.message).toMatch(/^CloudWatch Logs group \/aws\/lambda\/x: /);
    expect(result.message).toMatch(message);
    expect(result.message).not.toContain('\n');
  });

  it('cuts and escapes what AWS said', () => {
    const result = awsConfigurationError(
      awsError('Odd', {}, `x\u001b[31m${'y'.repeat(500)}`),
      context,
    );
    expect(result.message).toContain('\\u{1b}[31m');
    expect(result.message.length).toBeLessThan(300);
  });
});

describe('awsConfigurationError with a profile', () => {
  it('names the profile whose credentials could not be loaded', () => {
    // Act
    const error = awsConfigurationError(
      Object.assign(new Error('Could not resolve credentials using profile: [ops]'), {
        name: 'CredentialsProviderError',
      }),
      { what: 'CloudFormation stack s', profile: 'ops' },
    );
    // Assess
    expect(error.message).toMatch(
      /^CloudFormation stack s: no usable AWS credentials for profile "ops" \(Could not resolve/,
    );
  });

  it('says the region is unset when it cannot resolve the endpoint', () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    const error = awsConfigurationError(new TypeError('fetch failed', { cause }), { what: 'x' });
    expect(error.message).toMatch(/region "unset"/);
  });
});
