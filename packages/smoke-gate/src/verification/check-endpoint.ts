import { DEFAULT_CONTRACT, type SmokeContract } from '../core/contract.ts';
import { type Deadline, sleep as realSleep, type Sleep } from '../core/deadline.ts';
import { VERIFY_DEFAULTS } from '../core/defaults.ts';
import { redactUrl, safeText } from '../core/safe-text.ts';
import { healthAnswerProblems } from './contract-check.ts';

/** What calling the route found. */
export interface HttpCheckResult {
  ok: boolean;
  /** Status of the last answer, if any answer came. */
  status: number | undefined;
  /** Latency of the last attempt that got an answer. */
  latencyMs: number | undefined;
  attempts: number;
  /** Epoch ms (our clock) just before the request that got the final answer was sent. */
  requestTime: number;
  /** Epoch ms by the route's clock: its `Date` header, when it sent a valid one. */
  serverTime: number | undefined;
  /** True when the route gave a final answer (not retried): a verdict can be drawn from it. */
  answered: boolean;
  /** True when the route answered, and every answer it gave was 429 (throttled). */
  throttledOnly: boolean;
  problems: string[];
}

/** Options for {@link checkEndpoint}. */
export interface HttpCheckOptions {
  url: string;
  correlationId: string;
  /** What the answer must carry (the contract's defaults when undefined). */
  contract?: SmokeContract | undefined;
  deadline: Deadline;
  /** Per-attempt timeout (default VERIFY_DEFAULTS.attemptTimeoutMs). */
  attemptTimeoutMs?: number;
  /** Body cap in bytes, after decompression (default VERIFY_DEFAULTS.bodyCapBytes). */
  bodyCapBytes?: number;
  /** For this long from the first attempt a 404 is retried: a new route may still propagate. */
  notFoundGraceMs?: number;
  fetch?: typeof globalThis.fetch;
  sleep?: Sleep;
  now?: () => number;
  onAttempt?: (attempt: number, outcome: string) => void;
}

/** Thrown inside an attempt when the body passes its cap. */
class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** Reads a body as text, aborting past `capBytes`: an endless or bomb body costs at most the cap. */
async function readCapped(response: Response, capBytes: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > capBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(`body is larger than ${capBytes} bytes; read aborted`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const RETRYABLE = (status: number) => status >= 500 || status === 429;

const describeFetchError = (error: unknown): string => {
  if (!(error instanceof Error)) return safeText(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time';
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = 'code' in cause ? String(cause.code) : cause.name;
    return safeText(`${code}: ${cause.message}`);
  }
  return safeText(error.message);
};

/** Backoff before attempt n+1: doubling up to a cap, with jitter so probes do not align. */
const backoffMs = (attempt: number): number => {
  const [first, cap] = VERIFY_DEFAULTS.routeBackoffMs;
  return Math.min(first * 2 ** (attempt - 1), cap) * (0.75 + Math.random() * 0.5);
};

const dateHeader = (headers: Headers): number | undefined => {
  const value = headers.get('date');
  const time = value === null ? Number.NaN : Date.parse(value);
  return Number.isFinite(time) ? time : undefined;
};

/** "HTTP 500 ×3, HTTP 429 ×1": what the retried attempts got, in the order first seen. */
const tally = (outcomes: Map<string, number>): string =>
  [...outcomes].map(([outcome, count]) => `${outcome} ×${count}`).join(', ');

/** The one request: GET with the correlation id and the contract's media type, no redirects. */
const requestRoute = (options: HttpCheckOptions, signal: AbortSignal): Promise<Response> => {
  const contract = options.contract ?? DEFAULT_CONTRACT;
  return (options.fetch ?? globalThis.fetch)(options.url, {
    method: 'GET',
    headers: {
      [contract.correlationHeader]: options.correlationId,
      accept: contract.response.contentType ?? 'application/json',
      'accept-encoding': 'identity',
    },
    redirect: 'manual',
    signal,
  });
};

/** Judges a final answer against the contract, its body read up to the cap. */
async function answerProblems(
  response: Response,
  options: HttpCheckOptions,
  capBytes: number,
): Promise<string[]> {
  try {
    const body = await readCapped(response, capBytes);
    return healthAnswerProblems(
      response.status,
      response.headers,
      body,
      options.correlationId,
      options.contract,
    );
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return [`status ${response.status}: ${error.message}`];
  }
}

/** What the retried attempts got: each outcome counted, and the HTTP statuses seen. */
function attemptLog() {
  const outcomes = new Map<string, number>();
  const statuses = new Set<number>();
  return {
    add(outcome: string, status?: number) {
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (status !== undefined) statuses.add(status);
    },
    /** Throttled only when every answer the route gave was 429: a 500 among them is a verdict. */
    throttledOnly: () => statuses.size === 1 && statuses.has(429),
    /** " (HTTP 500 ×3, HTTP 429 ×1)" when the attempts got more than one kind of outcome. */
    summary: () => (outcomes.size > 1 ? ` (${tally(outcomes)})` : ''),
  };
}

/**
 * Calls the route with the correlation id in the contract's header and its media type, retrying
 * network errors, 5xx and 429 until the deadline (a fresh deploy can answer 503 for a moment).
 * Any other answer is final and judged once against the contract; its body is read up to a cap.
 */
export async function checkEndpoint(options: HttpCheckOptions): Promise<HttpCheckResult> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? VERIFY_DEFAULTS.attemptTimeoutMs;
  const capBytes = options.bodyCapBytes ?? VERIFY_DEFAULTS.bodyCapBytes;
  const graceUntil = now() + (options.notFoundGraceMs ?? 0);
  const log = attemptLog();
  let attempts = 0;
  let lastProblem = 'no attempt was made before the deadline';
  let lastStatus: number | undefined;
  let lastLatency: number | undefined;
  let requestTime = now();
  while (options.deadline.remainingMs() > 0) {
    attempts++;
    requestTime = now();
    const timer = options.deadline.timer(attemptTimeoutMs);
    try {
      const response = await requestRoute(options, timer.signal);
      const { status } = response;
      lastStatus = status;
      options.onAttempt?.(attempts, `HTTP ${status}`);
      if (!RETRYABLE(status) && !(status === 404 && now() < graceUntil)) {
        const problems = await answerProblems(response, options, capBytes);
        return {
          ok: problems.length === 0,
          status,
          latencyMs: now() - requestTime,
          attempts,
          requestTime,
          serverTime: dateHeader(response.headers),
          answered: true,
          throttledOnly: false,
          problems,
        };
      }
      await response.body?.cancel().catch(() => undefined);
      lastLatency = now() - requestTime;
      lastProblem = `HTTP ${status} (retried until the deadline)`;
      log.add(`HTTP ${status}`, status);
    } catch (error) {
      lastProblem = describeFetchError(error);
      log.add(lastProblem);
      options.onAttempt?.(attempts, lastProblem);
    } finally {
      timer.clear();
    }
    const pause = backoffMs(attempts);
    if (pause >= options.deadline.remainingMs()) break;
    await sleep(pause);
  }
  return {
    ok: false,
    status: lastStatus,
    latencyMs: lastLatency,
    attempts,
    requestTime,
    serverTime: undefined,
    answered: false,
    throttledOnly: log.throttledOnly(),
    problems: [
      `${redactUrl(options.url)}: ${lastProblem} after ${attempts} attempt(s)${log.summary()}`,
    ],
  };
}
