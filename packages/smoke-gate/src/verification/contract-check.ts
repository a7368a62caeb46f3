import {
  HEALTH_BODY_FIELDS,
  HEALTH_JSON,
  SMOKE_LINE_REQUIRED_KEYS,
  SMOKE_LOG_EVENT,
  SMOKE_LOG_LEVEL,
} from '../core/contract.ts';
import { isRecord } from '../core/json.ts';
import { safeJson } from '../core/safe-text.ts';

/**
 * Checks a health answer against the response contract for a request sent with
 * `accept: application/health+json` and the given correlation id. Returns the problems found,
 * every echoed value cut and escaped.
 */
export function healthAnswerProblems(
  statusCode: number,
  headers: Headers,
  body: string,
  correlationId: string,
): string[] {
  // A status other than 200 is the whole story: its body is an error page, not a health answer,
  // and listing every missing field under a 404 only hides the one line that matters.
  if (statusCode !== 200) {
    const excerpt = body.trim() === '' ? '' : `: ${safeJson(body.slice(0, 120))}`;
    return [`status ${statusCode}, expected 200${excerpt}`];
  }
  const problems: string[] = [];
  const contentType = headers.get('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith(HEALTH_JSON)) {
    problems.push(`content-type ${safeJson(contentType)}, expected ${HEALTH_JSON}`);
  }
  const echoed = headers.get('x-correlation-id');
  if (echoed !== correlationId) {
    problems.push(`x-correlation-id header ${safeJson(echoed)}, expected "${correlationId}"`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    problems.push(`body is not JSON: ${safeJson(body.slice(0, 120))}`);
    return problems;
  }
  if (!isRecord(parsed)) return [...problems, 'body is not a JSON object'];
  for (const field of HEALTH_BODY_FIELDS) {
    if (typeof parsed[field] !== 'string' || parsed[field] === '') {
      problems.push(`body field "${field}" is missing or not a non-empty string`);
    }
  }
  if (parsed.status !== undefined && parsed.status !== 'ok') {
    problems.push(`body status ${safeJson(parsed.status)}, expected "ok"`);
  }
  if (parsed.correlationId !== undefined && parsed.correlationId !== correlationId) {
    problems.push(
      `body correlationId ${safeJson(parsed.correlationId)}, expected "${correlationId}"`,
    );
  }
  return problems;
}

/** The verdict on one candidate log message. */
export type LineVerdict =
  | { match: true; line: Record<string, unknown> }
  | { match: false; reason: string };

/**
 * Decides whether a log message is the smoke-test line of this correlation id. The server-side
 * filter only narrows candidates: START/REPORT lines, other events, ids that merely contain this
 * one and broken JSON are all rejected here. Reasons are cut and escaped.
 */
export function judgeLogMessage(message: string, correlationId: string): LineVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.trim());
  } catch {
    return { match: false, reason: 'not a JSON line' };
  }
  if (!isRecord(parsed)) return { match: false, reason: 'not a JSON object' };
  if (parsed.correlation_id !== correlationId) {
    return { match: false, reason: `correlation_id is ${safeJson(parsed.correlation_id)}` };
  }
  if (parsed.event !== SMOKE_LOG_EVENT) {
    return { match: false, reason: `event is ${safeJson(parsed.event)}` };
  }
  if (parsed.level !== SMOKE_LOG_LEVEL) {
    return { match: false, reason: `level is ${safeJson(parsed.level)}` };
  }
  for (const key of SMOKE_LINE_REQUIRED_KEYS) {
    if (typeof parsed[key] !== 'string' || parsed[key] === '') {
      return { match: false, reason: `key "${key}" is missing` };
    }
  }
  return { match: true, line: parsed };
}
