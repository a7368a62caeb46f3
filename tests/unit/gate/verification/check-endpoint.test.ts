import { describe, expect, it } from 'vitest';
import {
  createDeadline,
  type Deadline,
} from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { VERIFY_DEFAULTS } from '../../../../packages/smoke-gate/src/core/defaults.ts';
import { checkEndpoint } from '../../../../packages/smoke-gate/src/verification/check-endpoint.ts';

const URL_ = 'https://api.example/health';
const ID = 'smoke-abc';

/** A clock that moves only when the check sleeps: no real time passes in these tests. */
function fakeTime(budgetMs = 60_000) {
  let now = 1_000_000;
  const caps: (number | undefined)[] = [];
  const real = createDeadline(now + budgetMs, () => now);
  const deadline: Deadline = {
    ...real,
    remainingMs: () => real.remainingMs(),
    timer: (capMs) => {
      caps.push(capMs);
      return { signal: new AbortController().signal, clear: () => undefined };
    },
  };
  return {
    deadline,
    caps,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

/** A route that answers each call with the next of `answers`, recording each request. */
function route(...answers: (() => Response)[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  let call = 0;
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const answer = answers[Math.min(call++, answers.length - 1)];
    return (answer as () => Response)();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

const healthy = () =>
  new Response(JSON.stringify({ status: 'ok' }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

describe('checkEndpoint', () => {
  it('sends one GET with the correlation id and media type, never following a redirect', async () => {
    // Prepare
    const time = fakeTime();
    const { fetch, requests } = route(healthy);
    // Act
    const result = await checkEndpoint({ url: URL_, correlationId: ID, fetch, ...time });
    // Assess
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 1, answered: true });
    expect(requests[0]?.init).toMatchObject({
      method: 'GET',
      redirect: 'manual',
      headers: {
        'x-correlation-id': ID,
        accept: 'application/json',
        'accept-encoding': 'identity',
      },
    });
  });

  it('gives each attempt the default per-attempt timeout, bounded by the deadline', async () => {
    // Prepare
    const time = fakeTime();
    const { fetch } = route(healthy);
    // Act
    await checkEndpoint({ url: URL_, correlationId: ID, fetch, ...time });
    // Assess
    expect(time.caps).toStrictEqual([VERIFY_DEFAULTS.attemptTimeoutMs]);
  });

  it('judges a redirect as the final answer instead of following it', async () => {
    // Prepare
    const time = fakeTime();
    const { fetch, requests } = route(
      () => new Response(null, { status: 302, headers: { location: 'https://evil.example/' } }),
    );
    // Act
    const result = await checkEndpoint({ url: URL_, correlationId: ID, fetch, ...time });
    // Assess
    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, status: 302, answered: true });
  });

  it('retries a 503 and passes on the answer after it', async () => {
    // Prepare
    const time = fakeTime();
    const { fetch } = route(() => new Response('busy', { status: 503 }), healthy);
    // Act
    const result = await checkEndpoint({ url: URL_, correlationId: ID, fetch, ...time });
    // Assess
    expect(result).toMatchObject({ ok: true, attempts: 2 });
  });

  it('retries a 404 only within the grace after a deploy, then judges it', async () => {
    // Prepare
    const time = fakeTime();
    const notFound = () => new Response('nope', { status: 404 });
    const within = route(notFound, healthy);
    const without = route(notFound, healthy);
    // Act
    const graced = await checkEndpoint({
      url: URL_,
      correlationId: ID,
      fetch: within.fetch,
      notFoundGraceMs: 5_000,
      ...time,
    });
    const judged = await checkEndpoint({
      url: URL_,
      correlationId: ID,
      fetch: without.fetch,
      ...time,
    });
    // Assess
    expect(graced).toMatchObject({ ok: true, attempts: 2 });
    expect(judged).toMatchObject({ ok: false, status: 404, attempts: 1 });
  });

  it('is throttled only when every answer was 429 until the deadline', async () => {
    // Prepare
    const throttled = () => new Response('slow down', { status: 429 });
    const onlyThrottled = route(throttled);
    const mixed = route(() => new Response('boom', { status: 500 }), throttled);
    // Act
    const a = await checkEndpoint({
      url: URL_,
      correlationId: ID,
      fetch: onlyThrottled.fetch,
      ...fakeTime(5_000),
    });
    const b = await checkEndpoint({
      url: URL_,
      correlationId: ID,
      fetch: mixed.fetch,
      ...fakeTime(5_000),
    });
    // Assess
    expect(a).toMatchObject({ ok: false, answered: false, throttledOnly: true });
    expect(a.problems[0]).toMatch(
      /HTTP 429 \(retried until the deadline\) after \d+ attempt\(s\)$/,
    );
    expect(b).toMatchObject({ ok: false, throttledOnly: false });
    expect(b.problems[0]).toMatch(/\(HTTP 500 ×1, HTTP 429 ×\d+\)$/);
  });

  it('keeps backing off longer between attempts, so a flood is not hammered', async () => {
    // Prepare
    const pauses: number[] = [];
    const time = fakeTime(30_000);
    const { fetch } = route(() => new Response('busy', { status: 503 }));
    // Act
    await checkEndpoint({
      url: URL_,
      correlationId: ID,
      fetch,
      ...time,
      sleep: async (ms) => {
        pauses.push(ms);
        await time.sleep(ms);
      },
    });
    // Assess: each pause at least the jittered double of the first, up to the cap.
    const [first, cap] = VERIFY_DEFAULTS.routeBackoffMs;
    expect(pauses[0]).toBeGreaterThanOrEqual(first * 0.75);
    expect(pauses[2]).toBeGreaterThan(pauses[0] as number);
    expect(Math.max(...pauses)).toBeLessThanOrEqual(cap * 1.25);
  });

  it('reports how long the answer took, the server’s clock and each attempt', async () => {
    // Prepare: the answer takes 40 ms on the fake clock and carries a Date header.
    const time = fakeTime();
    const seen: string[] = [];
    const fetch = (async () => {
      await time.sleep(40);
      return new Response('{}', {
        status: 200,
        headers: { 'content-type': 'application/json', date: 'Wed, 02 Dec 2026 10:00:00 GMT' },
      });
    }) as unknown as typeof globalThis.fetch;
    // Act
    const result = await checkEndpoint({
      url: URL_,
      correlationId: ID,
      fetch,
      onAttempt: (n, outcome) => seen.push(`${n} ${outcome}`),
      ...time,
    });
    // Assess
    expect(result).toMatchObject({
      latencyMs: 40,
      serverTime: Date.parse('2026-12-02T10:00:00Z'),
      throttledOnly: false,
    });
    expect(seen).toStrictEqual(['1 HTTP 200']);
  });

  it.each([
    [
      'a refused connection',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
          code: 'ECONNREFUSED',
        }),
      }),
      /ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:9/,
    ],
    [
      'a timeout',
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
      /no answer in time/,
    ],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' }), /no answer in time/],
    ['a plain error', new Error('socket hang up'), /socket hang up/],
    ['a thrown string', 'weird', /weird/],
  ])('names %s in the one problem line when no answer came', async (_what, thrown, problem) => {
    // Prepare: the deadline is shorter than the shortest first backoff (jittered), so one attempt.
    const [firstBackoff] = VERIFY_DEFAULTS.routeBackoffMs;
    const time = fakeTime(firstBackoff * 0.75 - 1);
    const fetch = (async () => {
      throw thrown;
    }) as unknown as typeof globalThis.fetch;
    // Act
    const result = await checkEndpoint({ url: URL_, correlationId: ID, fetch, ...time });
    // Assess
    expect(result).toMatchObject({ ok: false, answered: false, attempts: 1 });
    expect(result.problems[0]).toMatch(problem);
    expect(result.problems[0]).toMatch(/after 1 attempt\(s\)$/);
  });

  it('reads a body up to its cap, and no further', async () => {
    // Prepare
    const answer = (bytes: number) => () =>
      new Response('x'.repeat(bytes), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    const atCap = route(answer(64));
    const overCap = route(answer(65));
    // Act
    const a = await checkEndpoint({
      url: URL_,
      correlationId: ID,
      fetch: atCap.fetch,
      bodyCapBytes: 64,
      ...fakeTime(),
    });
    const b = await checkEndpoint({
      url: URL_,
      correlationId: ID,
      fetch: overCap.fetch,
      bodyCapBytes: 64,
      ...fakeTime(),
    });
    // Assess
    expect(a.problems.join()).not.toMatch(/larger than/);
    expect(b.problems).toStrictEqual(['status 200: body is larger than 64 bytes; read aborted']);
  });
});
