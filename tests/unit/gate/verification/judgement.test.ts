import { describe, expect, it } from 'vitest';
import type { HttpCheckResult } from '../../../../packages/smoke-gate/src/verification/check-endpoint.ts';
import {
  logProblemsOf,
  verdictOf,
} from '../../../../packages/smoke-gate/src/verification/judgement.ts';
import type { LogSearchResult } from '../../../../packages/smoke-gate/src/verification/log-source.ts';

const answered = (ok: boolean, status = 200): HttpCheckResult => ({
  ok,
  status,
  latencyMs: 80,
  attempts: 1,
  requestTime: 0,
  serverTime: undefined,
  answered: true,
  throttledOnly: false,
  problems: ok ? [] : [`status ${status}, expected 200`],
});
const unanswered = (status: number | undefined, throttledOnly: boolean): HttpCheckResult => ({
  ...answered(false),
  status,
  answered: false,
  throttledOnly,
});
const search = (fields: Partial<LogSearchResult> = {}): LogSearchResult => ({
  match: undefined,
  polls: 3,
  rejected: [],
  throttled: 0,
  serviceAnswered: true,
  lastError: undefined,
  ...fields,
});
const found = search({ match: { line: {}, logStreamName: 's', timestamp: 1, ingestionTime: 2 } });

describe('the verdict rule', () => {
  it.each([
    ['the route answered and the line arrived', answered(true), found, 'verified', false],
    [
      'the route answered and no line arrived while the logs answered',
      answered(true),
      search(),
      'failed',
      false,
    ],
    [
      'the route answered and the logs could not be searched',
      answered(true),
      search({ serviceAnswered: false }),
      'inconclusive',
      false,
    ],
    ['the route answered wrongly (even with a line)', answered(false, 404), found, 'failed', false],
    ['every route answer was 429', unanswered(429, true), search(), 'inconclusive', true],
    ['the route answered 500s, then 429s', unanswered(429, false), search(), 'failed', false],
    ['the route never answered', unanswered(undefined, false), search(), 'failed', false],
  ] as const)('%s: %s', (_name, http, logs, verdict, routeThrottled) => {
    expect(verdictOf(http, logs)).toStrictEqual({ verdict, routeThrottled });
  });
});

describe('logProblemsOf', () => {
  const source = { description: 'CloudWatch Logs group g', correlationId: 'smoke-1' };

  it.each([
    [
      answered(false, 404),
      search(),
      'failed',
      'not searched: the route answered wrongly, so the verdict is already FAIL',
    ],
    [
      unanswered(429, true),
      search(),
      'inconclusive',
      'not searched: the route was throttled (HTTP 429) to the end',
    ],
    [
      unanswered(500, false),
      search(),
      'failed',
      'not searched: the route answered only with errors to the end',
    ],
    [unanswered(undefined, false), search(), 'failed', 'not searched: the route never answered'],
    [
      answered(true),
      search({ polls: 0, serviceAnswered: false }),
      'inconclusive',
      'no call to CloudWatch Logs group g before the deadline: the budget never reached it',
    ],
    [
      answered(true),
      search({ throttled: 4, serviceAnswered: false, lastError: 'ThrottlingException' }),
      'inconclusive',
      'could not search CloudWatch Logs group g to the end: throttled 4 time(s) (last error ThrottlingException)',
    ],
    [
      answered(true),
      search(),
      'failed',
      'no smoke-test line with correlation_id "smoke-1" in CloudWatch Logs group g within the deadline',
    ],
  ] as const)('says why the line was not found (%#)', (http, logs, verdict, problem) => {
    expect(logProblemsOf(http, logs, verdict, source)).toStrictEqual([problem]);
  });

  it('has nothing to say when the line was found', () => {
    expect(logProblemsOf(answered(true), found, 'verified', source)).toStrictEqual([]);
  });
});
