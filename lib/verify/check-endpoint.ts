import { HEALTH_JSON } from '../http.ts';
import { healthAnswerProblems } from './contract-check.ts';
import type { Sleep } from './log-source.ts';
import { sleep as realSleep } from './log-source.ts';

/** What calling the route found. */
export interface HttpCheckResult {
  ok: boolean;
  /** Status of the last answer, if any answer came. */
  status: number | undefined;
  /** Latency of the last attempt that got an answer. */
  latencyMs: number | undefined;
  attempts: number;
  /** Epoch ms just before the request that got the final answer was sent. */
  requestTime: number;
  problems: string[];
}

/** Options for {@link checkEndpoint}. */
export interface HttpCheckOptions {
  url: string;
  correlationId: string;
  /** Epoch ms after which no new attempt starts. */
  deadline: number;
  /** Per-attempt timeout (default 10 s). */
  attemptTimeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  sleep?: Sleep;
  now?: () => number;
  onAttempt?: (attempt: number, outcome: string) => void;
}

const RETRYABLE = (status: number) => status >= 500 || status === 429;

const describeFetchError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time';
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = 'code' in cause ? String(cause.code) : cause.name;
    return `${code}: ${cause.message}`;
  }
  return error.message;
};

/** Backoff before attempt n+1: 250 ms doubling to 4 s, with jitter so probes do not align. */
const backoffMs = (attempt: number): number =>
  Math.min(250 * 2 ** (attempt - 1), 4_000) * (0.75 + Math.random() * 0.5);

/**
 * Calls the health route with the correlation id and `accept: application/health+json`,
 * retrying network errors, 5xx and 429 until the deadline (a fresh deploy can answer 503 for a
 * moment), then checks the answer against the response contract.
 */
export async function checkEndpoint(options: HttpCheckOptions): Promise<HttpCheckResult> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  let attempts = 0;
  let lastProblem = 'no attempt was made before the deadline';
  let lastStatus: number | undefined;
  let lastLatency: number | undefined;
  let requestTime = now();

  while (now() < options.deadline) {
    attempts++;
    requestTime = now();
    const timeout = Math.ceil(
      Math.max(Math.min(attemptTimeoutMs, options.deadline - requestTime), 1),
    );
    try {
      const response = await fetchFn(options.url, {
        method: 'GET',
        headers: { 'x-correlation-id': options.correlationId, accept: HEALTH_JSON },
        redirect: 'manual',
        signal: AbortSignal.timeout(timeout),
      });
      const body = await response.text();
      lastLatency = now() - requestTime;
      lastStatus = response.status;
      options.onAttempt?.(attempts, `HTTP ${response.status}`);
      if (!RETRYABLE(response.status)) {
        const problems = healthAnswerProblems(
          response.status,
          response.headers,
          body,
          options.correlationId,
        );
        return {
          ok: problems.length === 0,
          status: response.status,
          latencyMs: lastLatency,
          attempts,
          requestTime,
          problems,
        };
      }
      lastProblem = `HTTP ${response.status} (retried until the deadline)`;
    } catch (error) {
      lastProblem = describeFetchError(error);
      options.onAttempt?.(attempts, lastProblem);
    }
    const pause = backoffMs(attempts);
    if (now() + pause >= options.deadline) break;
    await sleep(pause);
  }
  return {
    ok: false,
    status: lastStatus,
    latencyMs: lastLatency,
    attempts,
    requestTime,
    problems: [`${options.url}: ${lastProblem} after ${attempts} attempt(s)`],
  };
}
