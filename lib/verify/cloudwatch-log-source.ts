import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { judgeLogMessage } from './contract-check.ts';
import { ConfigurationError } from './errors.ts';
import type { LogSearch, LogSearchResult, LogSource, Sleep } from './log-source.ts';
import { sleep as realSleep } from './log-source.ts';

/** Options for {@link cloudWatchLogSource}. */
export interface CloudWatchSourceOptions {
  client: CloudWatchLogsClient;
  logGroupName: string;
  /** Minimum gap between FilterLogEvents calls (default 500 ms: at most 2 calls per second). */
  minIntervalMs?: number;
  sleep?: Sleep;
  now?: () => number;
}

const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'string' ? error : 'UnknownError';

const isThrottling = (error: unknown): boolean =>
  ['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException'].includes(
    errorName(error),
  ) ||
  (error instanceof Error &&
    '$metadata' in error &&
    (error.$metadata as { httpStatusCode?: number }).httpStatusCode === 429);

/** Turns the SDK errors a user can fix into configuration errors (exit 2); others pass through. */
export function classifyAwsError(error: unknown, what: string): unknown {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'ResourceNotFoundException') {
    return new ConfigurationError(
      `${what}: not found (${message}). Check the log group name (--log-group), the region (--region) and that the stack was deployed.`,
    );
  }
  if (
    [
      'AccessDeniedException',
      'AccessDenied',
      'UnauthorizedOperation',
      'UnrecognizedClientException',
    ].includes(name) ||
    name.startsWith('ExpiredToken') ||
    name === 'InvalidSignatureException'
  ) {
    return new ConfigurationError(
      `${what}: access denied (${name}: ${message}). The verifier needs logs:FilterLogEvents on the log group (and cloudformation:DescribeStacks with --stage).`,
    );
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return new ConfigurationError(
      `${what}: no usable AWS credentials (${message}). Set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`,
    );
  }
  if (/region is missing/i.test(message)) {
    return new ConfigurationError(`${what}: no AWS region. Pass --region or set AWS_REGION.`);
  }
  return error;
}

/**
 * CloudWatch Logs as a log source: FilterLogEvents with the correlation id as a quoted term,
 * following nextToken (pages can be empty and still carry one), at most one call per
 * `minIntervalMs`, backing off on throttling, and judging every candidate itself.
 */
export function cloudWatchLogSource(options: CloudWatchSourceOptions): LogSource {
  const minIntervalMs = options.minIntervalMs ?? 500;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;

  const findSmokeLine = async (search: LogSearch): Promise<LogSearchResult> => {
    const rejected = new Set<string>();
    let polls = 0;
    let nextToken: string | undefined;
    let lastCall = Number.NEGATIVE_INFINITY;
    let backoffMs = 0;
    while (true) {
      const wait = Math.max(lastCall + minIntervalMs + backoffMs - now(), 0);
      if (now() + wait >= search.deadline) break;
      if (wait > 0) await sleep(wait);
      lastCall = now();
      let page: FilterLogEventsCommandOutput;
      try {
        page = await options.client.send(
          new FilterLogEventsCommand({
            logGroupName: options.logGroupName,
            startTime: search.startTime,
            // A quoted term: CloudWatch matches the exact string, punctuation included.
            filterPattern: `"${search.correlationId}"`,
            nextToken,
          }),
          { abortSignal: AbortSignal.timeout(Math.ceil(Math.max(search.deadline - now(), 1))) },
        );
      } catch (error) {
        polls++;
        search.onPoll?.(polls);
        if (isThrottling(error)) {
          backoffMs = Math.min(Math.max(backoffMs * 2, 1_000), 8_000);
          continue;
        }
        if (errorName(error) === 'AbortError' || errorName(error) === 'TimeoutError') break;
        throw classifyAwsError(error, `CloudWatch Logs group ${options.logGroupName}`);
      }
      polls++;
      search.onPoll?.(polls);
      backoffMs = 0;
      for (const event of page.events ?? []) {
        const verdict = judgeLogMessage(event.message ?? '', search.correlationId);
        if (verdict.match) {
          return {
            match: {
              line: verdict.line,
              logStreamName: event.logStreamName,
              timestamp: event.timestamp,
              ingestionTime: event.ingestionTime,
            },
            polls,
            rejected: [...rejected],
          };
        }
        rejected.add(verdict.reason);
      }
      // No token: this scan is complete; the next poll starts over to see newly ingested lines.
      nextToken = page.nextToken;
    }
    return { match: undefined, polls, rejected: [...rejected] };
  };

  return { description: `CloudWatch Logs group ${options.logGroupName}`, findSmokeLine };
}
