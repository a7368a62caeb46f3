// Reads the contract half of serverless.yml `custom.smokeTest` (and the same shape stored in a
// stack's template Metadata): every key checked, unknown ones refused with "did you mean", the
// function and path found from the service's routes when not given. One-line errors only.

import { closest } from './closest.ts';
import {
  type ContractValue,
  DEFAULT_CONTRACT,
  LOG_FORMATS,
  type LogFormat,
  type SmokeContract,
} from './contract.ts';
import { CouldNotJudgeError } from './errors.ts';
import { isRecord } from './json.ts';
import { safeJson } from './safe-text.ts';
import { SMOKE_TEST_KEYS } from './smoke-test-keys.ts';

/** How many keys a contract's maps and lists may hold, and how long a name or value may be. */
const MAX_KEYS = 32;
const MAX_TEXT = 256;

/** A one-line configuration error under `custom.smokeTest`. */
const problem = (where: string, text: string) =>
  new CouldNotJudgeError(`custom.smokeTest${where === '' ? '' : `.${where}`} ${text}`);

/** Refuses keys outside `allowed`, naming the closest allowed one. */
export function checkKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  where: string,
) {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const near = closest(key, allowed);
    const hint =
      near === undefined ? `known keys: ${allowed.join(', ')}` : `did you mean "${near}"?`;
    throw problem(where, `has an unknown key ${safeJson(key)}: ${hint}`);
  }
}

/** A section that must be an object when given. */
export function section(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw problem(where, `must be a map, not ${safeJson(value)}`);
  return value;
}

/** A non-empty text of at most MAX_TEXT characters, without control characters. */
export function text(value: unknown, where: string): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.length > MAX_TEXT ||
    /\p{Cc}/u.test(value)
  ) {
    throw problem(
      where,
      `must be a non-empty text of at most ${MAX_TEXT} characters, not ${safeJson(value)}`,
    );
  }
  return value;
}

const optionalText = (value: unknown, where: string) =>
  value === undefined ? undefined : text(value, where);

function textList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_KEYS) {
    throw problem(where, `must be a list of at most ${MAX_KEYS} keys`);
  }
  return value.map((item, index) => text(item, `${where}[${index}]`));
}

function valueMap(value: unknown, where: string): Record<string, ContractValue> {
  const map = section(value, where);
  if (Object.keys(map).length > MAX_KEYS) throw problem(where, `holds more than ${MAX_KEYS} keys`);
  for (const [key, item] of Object.entries(map)) {
    text(key, `${where} key`);
    if (typeof item === 'string') text(item, `${where}.${key}`);
    else if (typeof item !== 'number' && typeof item !== 'boolean') {
      throw problem(`${where}.${key}`, `must be a text, number or boolean, not ${safeJson(item)}`);
    }
  }
  return map as Record<string, ContractValue>;
}

function bool(value: unknown, where: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw problem(where, `must be true or false, not ${safeJson(value)}`);
  return value;
}

function formats(value: unknown): LogFormat[] {
  if (value === undefined || value === 'any') return [...LOG_FORMATS];
  if (!(LOG_FORMATS as readonly unknown[]).includes(value)) {
    throw problem(
      'logLine.format',
      `must be one of ${LOG_FORMATS.join(', ')} or any, not ${safeJson(value)}`,
    );
  }
  return [value as LogFormat];
}

function status(value: unknown): number {
  if (value === undefined) return DEFAULT_CONTRACT.response.status;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    throw problem(
      'response.status',
      `must be a number, not the text ${safeJson(value)}: write ${value.trim()} without quotes`,
    );
  }
  if (!Number.isInteger(value) || (value as number) < 200 || (value as number) > 299) {
    throw problem('response.status', `must be a 2xx status, not ${safeJson(value)}`);
  }
  return value as number;
}

function routePath(value: string): string {
  if (!value.startsWith('/') || /[\s?#]/.test(value)) {
    throw problem('path', `must start with / and hold no spaces, ? or #, not ${safeJson(value)}`);
  }
  return value;
}

/**
 * The contract a `custom.smokeTest` map declares, its defaults filled in; `routePathOf` gives
 * the path when the map names none (the function's GET route).
 */
export function readContract(
  raw: unknown,
  defaultPath: string = DEFAULT_CONTRACT.path,
): SmokeContract {
  const config = section(raw, '');
  checkKeys(config, SMOKE_TEST_KEYS[''], '');
  const response = section(config.response, 'response');
  checkKeys(response, SMOKE_TEST_KEYS.response, 'response');
  const logLine = section(config.logLine, 'logLine');
  checkKeys(logLine, SMOKE_TEST_KEYS.logLine, 'logLine');
  const defaults = DEFAULT_CONTRACT;
  return {
    path: routePath(optionalText(config.path, 'path') ?? defaultPath),
    correlationHeader: (
      optionalText(config.correlationHeader, 'correlationHeader') ?? defaults.correlationHeader
    ).toLowerCase(),
    response: {
      status: status(response.status),
      contentType: optionalText(response.contentType, 'response.contentType'),
      json: valueMap(response.json, 'response.json'),
      required: textList(response.required, 'response.required'),
      echoCorrelationId: bool(response.echoCorrelationId, 'response.echoCorrelationId', false),
      correlationKey: optionalText(response.correlationKey, 'response.correlationKey'),
    },
    logLine: {
      json: valueMap(logLine.json, 'logLine.json'),
      required: textList(logLine.required, 'logLine.required'),
      correlationKey:
        optionalText(logLine.correlationKey, 'logLine.correlationKey') ??
        defaults.logLine.correlationKey,
      formats: formats(logLine.format),
    },
  };
}

/** A contract as `custom.smokeTest` would declare it: what the template's Metadata stores. */
export function contractConfig(contract: SmokeContract): Record<string, unknown> {
  const { response, logLine } = contract;
  return {
    path: contract.path,
    correlationHeader: contract.correlationHeader,
    response: {
      status: response.status,
      ...(response.contentType === undefined ? {} : { contentType: response.contentType }),
      json: response.json,
      required: response.required,
      echoCorrelationId: response.echoCorrelationId,
      ...(response.correlationKey === undefined ? {} : { correlationKey: response.correlationKey }),
    },
    logLine: {
      json: logLine.json,
      required: logLine.required,
      correlationKey: logLine.correlationKey,
      format: logLine.formats.length === 1 ? logLine.formats[0] : 'any',
    },
  };
}
