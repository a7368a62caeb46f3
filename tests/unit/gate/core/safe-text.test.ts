import { describe, expect, it } from 'vitest';
import { VERIFY_DEFAULTS } from '../../../../packages/smoke-gate/src/core/defaults.ts';
import {
  redactUrl,
  safeJson,
  safeText,
} from '../../../../packages/smoke-gate/src/core/safe-text.ts';

describe('safeText', () => {
  it.each([
    ['a newline', 'a\nb', 'a\\u{a}b'],
    ['an ANSI escape', '\u001b[2J', '\\u{1b}[2J'],
    ['a bidi override', 'abc\u202edef', 'abc\\u{202e}def'],
    ['a line separator', 'a\u2028b', 'a\\u{2028}b'],
    ['a lone surrogate', 'a\ud800b', 'a\\u{d800}b'],
    ['a non-character', 'a\uffffb', 'a\\u{ffff}b'],
    ['DEL', 'a\u007fb', 'a\\u{7f}b'],
    ['the one-byte CSI (C1)', 'a\u009b2Jb', 'a\\u{9b}2Jb'],
    ['a zero-width space', 'pay\u200bpal', 'pay\\u{200b}pal'],
    ['a zero-width joiner', 'a\u200db', 'a\\u{200d}b'],
    ['a word joiner', 'a\u2060b', 'a\\u{2060}b'],
    ['a soft hyphen', 'a\u00adb', 'a\\u{ad}b'],
    ['a tag character', 'a\u{e0041}b', 'a\\u{e0041}b'],
    ['the first of the non-character block', 'a\ufdd0b', 'a\\u{fdd0}b'],
    ['the last of the non-character block', 'a\ufdefb', 'a\\u{fdef}b'],
  ])('escapes %s', (_name, value, expected) => {
    expect(safeText(value)).toBe(expected);
  });

  it('keeps the characters just outside the non-character block', () => {
    expect(safeText('\ufdcf\ufdf0')).toBe('\ufdcf\ufdf0');
  });

  it('prints a value that is not text as text', () => {
    expect(safeText(42)).toBe('42');
    expect(safeText(null)).toBe('null');
  });

  it('keeps accented text exactly at the cap whole', () => {
    const exact = 'é'.repeat(VERIFY_DEFAULTS.valueMaxChars);
    expect(safeText(exact)).toBe(exact);
  });

  it('keeps ordinary text, accents and emoji as they are', () => {
    expect(safeText('Chat très content 🐈')).toBe('Chat très content 🐈');
  });

  it('cuts a long plain ASCII value too (no escapes needed is no reason to keep it whole)', () => {
    // Act
    const text = safeText('a'.repeat(VERIFY_DEFAULTS.valueMaxChars + 3));
    // Assess
    expect(text).toBe(`${'a'.repeat(VERIFY_DEFAULTS.valueMaxChars)}…(+3 chars)`);
  });

  it('keeps a plain value exactly at the cap whole', () => {
    const exact = 'b'.repeat(VERIFY_DEFAULTS.valueMaxChars);
    expect(safeText(exact)).toBe(exact);
    expect(safeText('x', 1)).toBe('x');
  });

  it('escapes every C1 control, from 0x80 to 0x9f', () => {
    for (let cp = 0x80; cp <= 0x9f; cp++) {
      expect(safeText(String.fromCodePoint(cp))).toBe(`\\u{${cp.toString(16)}}`);
    }
  });

  it('cuts to the default cap in code points and says how much was left out', () => {
    // Act
    const text = safeText('🐈'.repeat(VERIFY_DEFAULTS.valueMaxChars + 5));
    // Assess
    expect(text).toBe(`${'🐈'.repeat(VERIFY_DEFAULTS.valueMaxChars)}…(+5 chars)`);
  });
});

describe('safeJson', () => {
  it('shows a value as JSON, escaped', () => {
    expect(safeJson({ a: 'x\u202ey' })).toBe('{"a":"x\\u{202e}y"}');
    expect(safeJson(undefined)).toBe('undefined');
  });
});

describe('redactUrl', () => {
  it('drops userinfo and redacts the query and fragment', () => {
    expect(redactUrl('https://u:p@h.example/health?token=abc#x')).toBe(
      'https://h.example/health?<redacted>',
    );
  });

  it('adds no query marker to a URL without a query', () => {
    expect(redactUrl('https://h.example/health')).toBe('https://h.example/health');
  });

  it('never echoes an unparseable value', () => {
    expect(redactUrl('not a url with secret')).toBe('<unparseable URL>');
  });
});
