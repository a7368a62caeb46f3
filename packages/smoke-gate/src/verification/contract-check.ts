import {
  type ContractValue,
  DEFAULT_CONTRACT,
  type LogFormat,
  type LogLineContract,
  type ResponseContract,
  type SmokeContract,
} from '../core/contract.ts';
import { isRecord, parseJsonObject } from '../core/json.ts';
import { safeJson } from '../core/safe-text.ts';

/** A key's value is there: neither absent, null nor an empty string. */
const present = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** Problems with the keys of `object`: exact values first, then the keys that must be present. */
export function keyProblems(
  object: Record<string, unknown>,
  json: Record<string, ContractValue>,
  required: string[],
  what: string,
): string[] {
  const problems: string[] = [];
  for (const [key, expected] of Object.entries(json)) {
    if (object[key] !== expected) {
      problems.push(
        `${what} ${key} ${safeJson(object[key])}, expected ${JSON.stringify(expected)}`,
      );
    }
  }
  for (const key of required) {
    if (!present(object[key])) problems.push(`${what} key "${key}" is missing or empty`);
  }
  return problems;
}

/** Whether the body must be read as JSON at all. */
const needsJsonBody = (response: ResponseContract): boolean =>
  Object.keys(response.json).length > 0 ||
  response.required.length > 0 ||
  response.correlationKey !== undefined;

/**
 * Checks an answer to the gate's GET (sent with the correlation id in the contract's header)
 * against the response contract. Returns the problems found, every echoed value cut and escaped.
 */
export function healthAnswerProblems(
  statusCode: number,
  headers: Headers,
  body: string,
  correlationId: string,
  contract: SmokeContract = DEFAULT_CONTRACT,
): string[] {
  const { response } = contract;
  // A status other than the expected one is the whole story: its body is an error page, and
  // listing every missing key under a 404 only hides the one line that matters.
  if (statusCode !== response.status) {
    const excerpt = body.trim() === '' ? '' : `: ${safeJson(body.slice(0, 120))}`;
    return [`status ${statusCode}, expected ${response.status}${excerpt}`];
  }
  const problems: string[] = [];
  const contentType = headers.get('content-type') ?? '';
  if (
    response.contentType !== undefined &&
    !contentType.toLowerCase().startsWith(response.contentType.toLowerCase())
  ) {
    problems.push(`content-type ${safeJson(contentType)}, expected ${response.contentType}`);
  }
  const header = contract.correlationHeader;
  const echoed = headers.get(header);
  if (response.echoCorrelationId && echoed !== correlationId) {
    problems.push(`${header} header ${safeJson(echoed)}, expected "${correlationId}"`);
  }
  if (!needsJsonBody(response)) return problems;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [...problems, `body is not JSON: ${safeJson(body.slice(0, 120))}`];
  }
  if (!isRecord(parsed)) return [...problems, 'body is not a JSON object'];
  const key = response.correlationKey;
  const withId = key === undefined ? {} : { [key]: correlationId };
  return [
    ...problems,
    ...keyProblems(parsed, { ...response.json, ...withId }, response.required, 'body'),
  ];
}

/** The verdict on one candidate log message. */
export type LineVerdict =
  | { match: true; line: Record<string, unknown>; format: LogFormat; requestId: string | undefined }
  | { match: false; reason: string };

/** A line taken out of a log event, with Lambda's request id when the format carries one. */
interface Unwrapped {
  line: Record<string, unknown>;
  format: LogFormat;
  requestId: string | undefined;
}

/** Lambda's Text format: `<time>\t<request id>\t<LEVEL>\t<message>`. */
const LAMBDA_TEXT = /^(\S+)\t([0-9A-Za-z-]+)\t([A-Z]+)\t([\s\S]*)$/;

/** The JSON object a log event carries, in the first of the allowed formats that fits. */
function unwrap(message: string, formats: LogFormat[]): Unwrapped | string {
  const trimmed = message.trim();
  const parsed = parseJsonObject(trimmed);
  if (parsed !== undefined) {
    const inner =
      typeof parsed.message === 'string' ? parseJsonObject(parsed.message) : parsed.message;
    const envelope = typeof parsed.requestId === 'string' && isRecord(inner);
    if (envelope && formats.includes('lambda-json')) {
      return { line: inner, format: 'lambda-json', requestId: parsed.requestId as string };
    }
    if (formats.includes('stdout-json')) {
      return { line: parsed, format: 'stdout-json', requestId: undefined };
    }
    return 'a JSON line, not in the configured format';
  }
  const text = LAMBDA_TEXT.exec(trimmed);
  if (text !== null && formats.includes('lambda-text')) {
    const line = parseJsonObject(text[4] ?? '');
    if (line !== undefined) return { line, format: 'lambda-text', requestId: text[2] };
  }
  return /^[[{]/.test(trimmed) || text !== null ? 'not a JSON object' : 'not a JSON line';
}

/** The JSON object a log event carries in one of `formats`, or undefined when none fits. */
export function lineOf(message: string, formats: LogFormat[]): Record<string, unknown> | undefined {
  const found = unwrap(message, formats);
  return typeof found === 'string' ? undefined : found.line;
}

/**
 * Decides whether a log message is the smoke-test line of this correlation id under the line
 * contract. The server-side filter only narrows candidates: START/REPORT lines, other events, ids
 * that merely contain this one and broken JSON are all rejected here. Reasons are cut and escaped.
 */
export function judgeLogMessage(
  message: string,
  correlationId: string,
  contract: LogLineContract = DEFAULT_CONTRACT.logLine,
): LineVerdict {
  const found = unwrap(message, contract.formats);
  if (typeof found === 'string') return { match: false, reason: found };
  const { line } = found;
  const key = contract.correlationKey;
  if (line[key] !== correlationId) {
    return { match: false, reason: `${key} is ${safeJson(line[key])}` };
  }
  const [problem] = keyProblems(line, contract.json, contract.required, 'line');
  if (problem !== undefined) return { match: false, reason: problem };
  return { match: true, ...found };
}
