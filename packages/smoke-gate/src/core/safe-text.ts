import { VERIFY_DEFAULTS } from './defaults.ts';

/** True for code points that must never reach a terminal or an XML file raw. */
const isUnsafe = (cp: number): boolean =>
  cp < 0x20 || // C0 controls, tab and newlines included: a report value is one line
  (cp >= 0x7f && cp <= 0x9f) || // DEL and C1 controls (0x9b is a one-byte CSI)
  cp === 0x061c ||
  cp === 0x200e ||
  cp === 0x200f ||
  (cp >= 0x202a && cp <= 0x202e) || // bidi embeddings and overrides (U+202E)
  (cp >= 0x2066 && cp <= 0x2069) || // bidi isolates
  cp === 0x2028 ||
  cp === 0x2029 ||
  cp === 0xfeff ||
  (cp >= 0xd800 && cp <= 0xdfff) || // lone surrogates
  (cp >= 0xfdd0 && cp <= 0xfdef) || // non-characters
  (cp & 0xfffe) === 0xfffe; // U+FFFE, U+FFFF and their copies in every plane

/** Printable ASCII only: nothing in it needs escaping. */
const SAFE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Makes a value from outside safe to print: cut to `maxChars` code points, with control, bidi,
 * separator and non-characters written as `\u{…}` escapes.
 */
export function safeText(value: unknown, maxChars: number = VERIFY_DEFAULTS.valueMaxChars): string {
  const text = typeof value === 'string' ? value : String(value);
  // Most values are short and clean: returned as they are, not rebuilt one character at a time.
  if (text.length <= maxChars && SAFE_ASCII.test(text)) return text;
  let out = '';
  let count = 0;
  for (const char of text) {
    if (count === maxChars) {
      return `${out}…(+${[...text].length - count} chars)`;
    }
    const cp = char.codePointAt(0) ?? 0;
    out += isUnsafe(cp) ? `\\u{${cp.toString(16)}}` : char;
    count++;
  }
  return out;
}

/** An error's message (or the value itself), cut and escaped like {@link safeText}. */
export const safeMessage = (error: unknown, maxChars?: number): string =>
  safeText(error instanceof Error ? error.message : error, maxChars);

/** A value shown as JSON (quotes and all), cut and escaped like {@link safeText}. */
export const safeJson = (value: unknown): string =>
  safeText(value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value)));

/** A URL as it may be printed: no userinfo, and the query string and fragment redacted. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    const query = url.search === '' ? '' : '?<redacted>';
    return safeText(`${url.protocol}//${url.host}${url.pathname}${query}`);
  } catch {
    return '<unparseable URL>';
  }
}
