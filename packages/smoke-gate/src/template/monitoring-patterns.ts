// CloudWatch Logs metric filter patterns for a line's exact keys, in the format the line arrives
// in. Raw JSON lines get JSON patterns (every pair checked). A line inside Lambda's Text or JSON
// envelope is not JSON to CloudWatch (JSON patterns see the envelope), so it gets one regex for
// the first pair: the key, one to three quote or escape characters, a colon, the value.
// CloudWatch allows few characters in a regex pattern, so those keys and values are held to them;
// each pattern holds one regex (CloudWatch: at most two a pattern, five patterns a log group).

import type { ContractValue, LogFormat } from '../core/contract.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeJson } from '../core/safe-text.ts';

/** A one-line refusal naming the key under custom.smokeTest (`where`) the value came from. */
const refuse = (where: string, what: string) =>
  new CouldNotJudgeError(`custom.smokeTest.${where}: ${what}`);

/** Where a pair's key and its value come from under custom.smokeTest, for a refusal. */
interface Named {
  key: string;
  value: string;
}

/** Pairs of a map (`logLine.json`): the key named as the map, the value as its entry. */
const inMap = (where: string, key: string): Named => ({ key: where, value: `${where}.${key}` });

/** One JSON pattern term: `$.key = "value"`, a number or a boolean. */
function jsonTerm(key: string, value: ContractValue, named: Named): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw refuse(
      named.key,
      `the key ${safeJson(key)} cannot be matched by a metric filter (letters, digits and _ only)`,
    );
  }
  if (typeof value === 'boolean') return `$.${key} IS ${value ? 'TRUE' : 'FALSE'}`;
  if (typeof value === 'number') return `$.${key} = ${value}`;
  if (/["\\]/.test(value)) {
    throw refuse(named.value, `${safeJson(value)} cannot hold " or \\ for a metric filter`);
  }
  return `$.${key} = "${value}"`;
}

/** `{ $.a = "x" }`, or `{ ($.a = "x") <joiner> ($.b = "y") }` for more than one term. */
function jsonPattern(terms: string[], joiner: '&&' | '||'): string {
  if (terms.length === 1) return `{ ${terms[0]} }`;
  return `{ ${terms.map((term) => `(${term})`).join(` ${joiner} `)} }`;
}

/** What a regex pattern may hold of a key or value: CloudWatch's allowed characters. */
const REGEX_SAFE = /^[A-Za-z0-9_:#=@/;,.-]+$/;
const NOT_WORD = '[^A-Za-z0-9_]';

/** `<not word>key<1-3 not word>:<0-3 not word>value<not word>`: one pair inside any text. */
function regexOf(key: string, value: ContractValue, named: Named): string {
  const text = String(value);
  for (const [part, where] of [
    [key, named.key],
    [text, named.value],
  ] as const) {
    if (!REGEX_SAFE.test(part)) {
      throw refuse(
        where,
        `${safeJson(part)} cannot be matched by a metric filter on a Lambda text or JSON line (letters, digits and _ : # = @ / ; , . - only)`,
      );
    }
  }
  const literal = (part: string) => part.replace(/[.]/g, '\\.');
  return `${NOT_WORD}${literal(key)}${NOT_WORD}{1,3}:${NOT_WORD}{0,3}${literal(text)}${NOT_WORD}`;
}

/** Whether JSON patterns can see the line: only when it arrives as the whole event, raw JSON. */
const rawJson = (formats: LogFormat[]) => formats.length === 1 && formats[0] === 'stdout-json';

/**
 * The pattern that selects lines holding every pair of `pairs` (raw JSON) or its first; `where`
 * names the pairs' key under custom.smokeTest in a refusal.
 */
export function allPairsPattern(
  pairs: Record<string, ContractValue>,
  formats: LogFormat[],
  where: string,
): string {
  const entries = Object.entries(pairs);
  const [first] = entries;
  if (first === undefined) {
    throw refuse(where, 'a metric filter needs at least one key');
  }
  if (rawJson(formats)) {
    return jsonPattern(
      entries.map(([key, value]) => jsonTerm(key, value, inMap(where, key))),
      '&&',
    );
  }
  return `%${regexOf(first[0], first[1], inMap(where, first[0]))}%`;
}

/** The pattern that selects lines whose `key` holds any of `values` (`where`: their map). */
export function anyValuePattern(
  key: string,
  values: string[],
  formats: LogFormat[],
  where: string,
): string {
  const named = { key: `${where}.key`, value: `${where}.values` };
  if (rawJson(formats))
    return jsonPattern(
      values.map((value) => jsonTerm(key, value, named)),
      '||',
    );
  // One regex, its alternatives whole: CloudWatch's regexes take no parentheses.
  return `%${values.map((value) => regexOf(key, value, named)).join('|')}%`;
}
