import { VERIFY_DEFAULTS } from './defaults.ts';

/**
 * Characters that must never reach a terminal, an XML file or a rendered page raw: controls (C0,
 * DEL, C1 with the one-byte CSI 0x9b), format characters (bidi marks, embeddings, overrides and
 * isolates, zero-width space and joiners, word joiner, soft hyphen, BOM, tags), line and paragraph
 * separators, and lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** True for code points that must never be printed raw: UNSAFE, and the non-characters. */
const isUnsafe = (char: string, cp: number): boolean =>
  UNSAFE.test(char) ||
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
    out += isUnsafe(char, cp) ? `\\u{${cp.toString(16)}}` : char;
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
