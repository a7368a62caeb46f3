import { describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { VERIFY_DEFAULTS } from '../../../../packages/smoke-gate/src/core/defaults.ts';
import type {
  LogSearch,
  LogSearchResult,
  LogSource,
} from '../../../../packages/smoke-gate/src/verification/log-source.ts';
import {
  hintsFor,
  type ReportBody,
  type Verdict,
  verifyDeployment,
} from '../../../../packages/smoke-gate/src/verification/verify-deployment.ts';
import { healthBody } from '../../../helpers/contract-fixtures.ts';
import { fakeClock } from '../../../helpers/fake-clock.ts';
import { PETSAGE_CONTRACT } from '../../../helpers/petsage-contract.ts';

const URL = 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/health';

/** A fetch that answers like the deployed function, echoing the request's correlation id. */
const healthyAnswer = (init: RequestInit | undefined, overrides: Record<string, unknown> = {}) => {
  const id = new Headers(init?.headers).get('x-correlation-id') ?? '';
  return new Response(JSON.stringify(healthBody(id, overrides)), {
    status: 200,
    headers: { 'content-type': 'application/health+json', 'x-correlation-id': id },
  });
};

/** A search result with nothing found and the log service answering, plus `fields`. */
const searchResult = (fields: Partial<LogSearchResult> = {}): LogSearchResult => ({
  match: undefined,
  polls: 0,
  rejected: [],
  throttled: 0,
  serviceAnswered: true,
  lastError: undefined,
  ...fields,
});

const foundSource = (searches: LogSearch[] = []): LogSource => ({
  description: 'test logs',
  findSmokeLine: async (search) => {
    searches.push(search);
    return searchResult({
      match: {
        line: { correlation_id: search.correlationId, function_request_id: 'req-1' },
        logStreamName: 'stream-1',
        timestamp: 1000,
        ingestionTime: 1800,
      },
      polls: 2,
    });
  },
});

const missingSource: LogSource = {
  description: 'test logs',
  findSmokeLine: async () => searchResult({ polls: 7, rejected: ['event is "other"'] }),
};

describe('verifyDeployment', () => {
  it('passes when the route answers the contract and the line arrives', async () => {
    // Prepare
    const clock = fakeClock();
    const searches: LogSearch[] = [];
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: foundSource(searches),
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async (_url, init) => healthyAnswer(init),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.ok).toBe(true);
    expect(report.http).toMatchObject({ ok: true, status: 200, attempts: 1 });
    expect(report.log).toMatchObject({
      found: true,
      logStreamName: 'stream-1',
      ingestionDelayMs: 800,
      functionRequestId: 'req-1',
    });
    expect(searches[0]?.correlationId).toBe(report.correlationId);
    expect(report.correlationId).toMatch(/^smoke-[0-9a-f-]{36}$/);
  });

  it('states the lag: from the line being written to being found, and the search wait', async () => {
    // Prepare: the line is written at the clock's start; the search takes 4.5 s of the clock.
    const clock = fakeClock();
    const written = clock.now();
    const source: LogSource = {
      description: 'test logs',
      findSmokeLine: async (search) => {
        clock.advance(4_500);
        return searchResult({
          match: {
            line: { correlation_id: search.correlationId },
            logStreamName: 's',
            timestamp: written,
            ingestionTime: written + 1_200,
          },
        });
      },
    };
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: source,
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async (_url, init) => healthyAnswer(init),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.log).toMatchObject({
      foundAfterMs: 4_500,
      ingestionDelayMs: 1_200,
      waitedMs: 4_500,
    });
  });

  it('searches from well before the request so a skewed local clock loses no line', async () => {
    // Prepare
    const clock = fakeClock();
    const searches: LogSearch[] = [];
    const requestTime = clock.now();
    // Act
    await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: foundSource(searches),
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async (_url, init) => healthyAnswer(init),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(searches[0]?.startTime).toBe(requestTime - VERIFY_DEFAULTS.clockSkewMarginMs);
    expect(searches[0]?.deadline.at).toBe(requestTime + 60_000);
  });

  it('searches from the route clock when ours runs ahead of it', async () => {
    // Prepare: our clock is 10 minutes ahead of the route's Date header.
    const clock = fakeClock();
    const searches: LogSearch[] = [];
    const routeTime = clock.now() - 10 * 60_000;
    // Act
    await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: foundSource(searches),
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async (_url, init) => {
        const answer = healthyAnswer(init);
        answer.headers.set('date', new Date(routeTime).toUTCString());
        return answer;
      },
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(searches[0]?.startTime).toBe(routeTime - VERIFY_DEFAULTS.clockSkewMarginMs);
  });

  it('judges a wrong 200 at once and never waits for the log line', async () => {
    // Prepare
    const clock = fakeClock();
    const searches: LogSearch[] = [];
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: foundSource(searches),
      deadline: createDeadline(clock.now() + 120_000, clock.now),
      fetch: async (_url, init) => healthyAnswer(init, { status: 'pass' }),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.verdict).toBe('failed');
    expect(searches).toHaveLength(0);
    expect(report.log).toMatchObject({ searched: false, found: false });
    expect(report.elapsedMs).toBeLessThan(1_000);
  });

  it('retries a 404 within the deploy grace, then verifies', async () => {
    // Prepare
    const clock = fakeClock();
    const statuses = [404, 404];
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: foundSource(),
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      notFoundGraceMs: 20_000,
      fetch: async (_url, init) => {
        const status = statuses.shift();
        return status === undefined ? healthyAnswer(init) : new Response('{}', { status });
      },
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.verdict).toBe('verified');
    expect(report.http.attempts).toBe(3);
  });

  it('is inconclusive, not failed, when the log service never answered', async () => {
    // Prepare
    const clock = fakeClock();
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: {
        description: 'test logs',
        findSmokeLine: async () =>
          searchResult({ polls: 20, throttled: 20, serviceAnswered: false }),
      },
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async (_url, init) => healthyAnswer(init),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.verdict).toBe('inconclusive');
    expect(report.log.problems.join('\n')).toMatch(/throttled 20 time\(s\)/);
    expect(report.hints.join('\n')).toMatch(/throttled 20 of 20/);
  });

  it("cannot judge a target its region's shared budget never reached, and says what to change", async () => {
    // Prepare
    const clock = fakeClock();
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: {
        description: 'test logs',
        findSmokeLine: async () => searchResult({ polls: 0, serviceAnswered: false }),
      },
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async (_url, init) => healthyAnswer(init),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.verdict).toBe('inconclusive');
    expect(report.log.problems.join('\n')).toMatch(/no call to test logs before the deadline/);
    expect(report.hints.join('\n')).toMatch(/--timeout.*--logs-rate/);
  });

  it('aborts a body larger than the cap and judges it once', async () => {
    // Prepare: an endless body.
    const clock = fakeClock();
    let calls = 0;
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull: (controller) => controller.enqueue(new Uint8Array(16 * 1024).fill(0x20)),
      });
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: foundSource(),
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async () => {
        calls++;
        return new Response(endless(), {
          status: 200,
          headers: { 'content-type': 'application/health+json' },
        });
      },
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.verdict).toBe('failed');
    expect(calls).toBe(1);
    expect(report.http.problems.join('\n')).toMatch(/larger than 65536 bytes/);
  });

  it('retries 503 and 429 answers of a fresh deploy', async () => {
    // Prepare
    const clock = fakeClock();
    const statuses = [503, 429, 502];
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: foundSource(),
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async (_url, init) => {
        const status = statuses.shift();
        return status === undefined ? healthyAnswer(init) : new Response('busy', { status });
      },
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.ok).toBe(true);
    expect(report.http.attempts).toBe(4);
  });

  it('cannot judge a route throttled (429) to the deadline: no FAIL a flood could force', async () => {
    // Prepare
    const clock = fakeClock();
    let searched = false;
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: {
        description: 'logs',
        findSmokeLine: async () => {
          searched = true;
          return searchResult();
        },
      },
      deadline: createDeadline(clock.now() + 30_000, clock.now),
      fetch: async () => new Response('{"message":"Too Many Requests"}', { status: 429 }),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report).toMatchObject({
      ok: false,
      verdict: 'inconclusive',
      http: { ok: false, status: 429, throttled: true },
      log: {
        searched: false,
        problems: ['not searched: the route was throttled (HTTP 429) to the end'],
      },
    });
    expect(report.hints.join('\n')).toMatch(
      /throttled\) until the deadline.*nothing is rolled back/,
    );
    expect(searched).toBe(false);
  });

  it('still fails a route that was throttled, then answered wrongly', async () => {
    // Prepare
    const clock = fakeClock();
    const statuses = [429, 429, 500];
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: missingSource,
      deadline: createDeadline(clock.now() + 30_000, clock.now),
      fetch: async () => {
        const status = statuses.shift() ?? 404;
        return new Response('no', { status });
      },
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report).toMatchObject({ verdict: 'failed', http: { status: 404, throttled: false } });
  });

  it('fails a route that answered 500 before a flood of 429s, and names the 500s', async () => {
    // Prepare
    const clock = fakeClock();
    const statuses = [500, 500, 500];
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: missingSource,
      deadline: createDeadline(clock.now() + 30_000, clock.now),
      fetch: async () => new Response('no', { status: statuses.shift() ?? 429 }),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report).toMatchObject({
      verdict: 'failed',
      http: { ok: false, status: 429, throttled: false },
      log: {
        searched: false,
        problems: ['not searched: the route answered only with errors to the end'],
      },
    });
    expect(report.http.problems[0]).toMatch(/\(HTTP 500 ×3, HTTP 429 ×\d+\)$/);
    expect(report.hints.join('\n')).not.toMatch(/nothing is rolled back/);
  });

  it('retries network errors until the deadline, then fails without searching logs', async () => {
    // Prepare
    const clock = fakeClock();
    let searched = false;
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: {
        description: 'test logs',
        findSmokeLine: async () => {
          searched = true;
          return searchResult();
        },
      },
      deadline: createDeadline(clock.now() + 20_000, clock.now),
      fetch: async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('getaddrinfo ENOTFOUND a1b2c3d4e5'), {
            code: 'ENOTFOUND',
          }),
        });
      },
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.ok).toBe(false);
    expect(report.http.status).toBeNull();
    expect(report.http.attempts).toBeGreaterThan(3);
    expect(report.http.problems[0]).toMatch(/ENOTFOUND/);
    expect(report.log.problems[0]).toMatch(/never answered/);
    expect(searched).toBe(false);
    expect(report.elapsedMs).toBeLessThanOrEqual(20_000);
  });

  it.each([
    ['a wrong status field', { status: 'pass' }, /body status "pass"/],
    ['another correlation id', { correlationId: 'someone-else' }, /body correlationId/],
    ['a missing field', { releaseId: undefined }, /"releaseId" is missing/],
  ])('fails on an answer with %s', async (_name, overrides, problem) => {
    // Prepare
    const clock = fakeClock();
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: foundSource(),
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async (_url, init) => healthyAnswer(init, overrides),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.ok).toBe(false);
    expect(report.http.problems.join('\n')).toMatch(problem);
  });

  it('fails on a non-JSON answer', async () => {
    // Prepare
    const clock = fakeClock();
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: foundSource(),
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async () => new Response('<html>It works!</html>', { status: 200 }),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.ok).toBe(false);
    expect(report.http.problems.join('\n')).toMatch(/not JSON/);
  });

  it('fails at once on a 404 with a hint about the path', async () => {
    // Prepare
    const clock = fakeClock();
    let calls = 0;
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: missingSource,
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async () => {
        calls++;
        return new Response('{"message":"Not Found"}', { status: 404 });
      },
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.ok).toBe(false);
    expect(calls).toBe(1);
    expect(report.hints.join('\n')).toMatch(/404/);
  });

  it('fails when the route works but the line never arrives, saying what to check', async () => {
    // Prepare
    const clock = fakeClock();
    // Act
    const report = await verifyDeployment({
      contract: PETSAGE_CONTRACT,
      url: URL,
      logSource: missingSource,
      deadline: createDeadline(clock.now() + 60_000, clock.now),
      fetch: async (_url, init) => healthyAnswer(init),
      now: clock.now,
      sleep: clock.sleep,
    });
    // Assess
    expect(report.ok).toBe(false);
    expect(report.http.ok).toBe(true);
    expect(report.log).toMatchObject({ found: false, polls: 7 });
    expect(report.hints.join('\n')).toMatch(/region.*log group/);
    expect(report.hints.join('\n')).toMatch(/event is "other"/);
  });
});

describe('hintsFor: what to check next', () => {
  /** A report where the route answered 200 and the line was found: nothing to hint. */
  const body = (
    change: { http?: Partial<ReportBody['http']>; log?: Partial<ReportBody['log']> } = {},
  ): ReportBody => ({
    correlationId: 'smoke-1',
    url: 'https://api.example/health',
    logSource: 'CloudWatch Logs group /aws/lambda/x',
    http: {
      ok: true,
      status: 200,
      latencyMs: 40,
      attempts: 1,
      throttled: false,
      problems: [],
      ...change.http,
    },
    log: {
      found: true,
      searched: true,
      logStreamName: 's',
      ingestionDelayMs: 10,
      foundAfterMs: 900,
      waitedMs: 800,
      functionRequestId: 'r',
      polls: 2,
      throttled: 0,
      rejected: [],
      problems: [],
      ...change.log,
    },
    elapsedMs: 1000,
  });

  it('has nothing to say about a verified deployment', () => {
    expect(hintsFor(body(), 'verified')).toStrictEqual([]);
  });

  it.each([
    [
      'no answer at all',
      body({ http: { ok: false, status: null } }),
      'failed',
      /^Is the URL right/,
    ],
    [
      'a 404',
      body({ http: { ok: false, status: 404 } }),
      'failed',
      /^404: the route path or stage/,
    ],
    ['a 300', body({ http: { ok: false, status: 300 } }), 'failed', /^The route redirects/],
    ['a 399', body({ http: { ok: false, status: 399 } }), 'failed', /^The route redirects/],
    [
      'a route throttled to the end',
      body({ http: { ok: false, status: 429, throttled: true } }),
      'inconclusive',
      /^The route answered 429 \(throttled\)/,
    ],
    [
      'a log search that never got a turn',
      body({ log: { found: false, polls: 0 } }),
      'inconclusive',
      /^The log search never got a turn/,
    ],
    [
      'CloudWatch Logs throttling',
      body({ log: { found: false, polls: 4, throttled: 3 } }),
      'inconclusive',
      /^CloudWatch Logs throttled 3 of 4 call\(s\)/,
    ],
    [
      'a log service that did not answer',
      body({ log: { found: false, polls: 4, throttled: 0 } }),
      'inconclusive',
      /^The log service did not answer to the end/,
    ],
  ])('says what to check after %s, first', (_what, report, verdict, hint) => {
    expect(hintsFor(report, verdict as Verdict)[0]).toMatch(hint);
  });

  it.each([
    ['a 200 whose line is missing', body({ http: { ok: true, status: 200 } })],
    ['a 299', body({ http: { ok: false, status: 299 } })],
    ['a 400', body({ http: { ok: false, status: 400 } })],
    ['a 500', body({ http: { ok: false, status: 500 } })],
  ])('does not call %s a redirect', (_what, report) => {
    expect(hintsFor(report, 'failed').join(' ')).not.toMatch(/redirects/);
  });

  it('names the log source and what to check when the route answered but no line came', () => {
    // Act
    const hints = hintsFor(body({ log: { found: false } }), 'failed');
    // Assess
    expect(hints).toStrictEqual([
      'The route answered but no smoke-test line with this id reached CloudWatch Logs group /aws/lambda/x.',
      expect.stringMatching(/^Check the region \(--region\), the log group name/),
    ]);
  });

  it('lists the lines that mentioned the id but were rejected', () => {
    const hints = hintsFor(
      body({ log: { found: false, rejected: ['line level "ERROR"', 'correlation_id is "x"'] } }),
      'failed',
    );
    expect(hints.at(-1)).toBe(
      'Lines mentioning the id were rejected: line level "ERROR"; correlation_id is "x".',
    );
  });

  it('says nothing about missing lines when the route itself failed', () => {
    expect(
      hintsFor(body({ http: { ok: false, status: 500 }, log: { found: false } }), 'failed'),
    ).toStrictEqual([]);
  });
});
