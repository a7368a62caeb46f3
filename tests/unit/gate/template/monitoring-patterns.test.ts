// The metric filter patterns the plugin generates, held against the lines the example service's
// real handler writes, as Lambda ships them in each of the three formats, and against decoys.
// CloudWatch's filter engine is not available here: tests/helpers/filter-pattern.ts evaluates the
// pattern forms as CloudWatch documents them.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../harness/project/project.ts';
import type { LogFormat } from '../../../../packages/smoke-gate/src/core/contract.ts';
import {
  allPairsPattern,
  anyValuePattern,
} from '../../../../packages/smoke-gate/src/template/monitoring-patterns.ts';
import { filterMatches } from '../../../helpers/filter-pattern.ts';

const example = createRequire(import.meta.url)(
  join(PROJECT_DIR, 'examples/plain-js-service/handler.js'),
) as { ping: (event: unknown, context: unknown) => Promise<unknown> };

/** The one line the example's handler writes for an event, as console.log got it. */
async function exampleLine(event: unknown): Promise<string> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (text: string) => lines.push(text);
  try {
    await example.ping(event, { awsRequestId: '8f5c2a10-0000-4000-8000-000000000001' });
  } finally {
    console.log = log;
  }
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

/** A console.log line as Lambda ships it in each format. */
const shipped = (line: string, format: LogFormat): string =>
  format === 'stdout-json'
    ? line
    : format === 'lambda-text'
      ? `2026-12-02T10:00:00.000Z\t8f5c2a10-0000-4000-8000-000000000001\tINFO\t${line}`
      : JSON.stringify({
          timestamp: '2026-12-02T10:00:00.000Z',
          level: 'INFO',
          requestId: '8f5c2a10-0000-4000-8000-000000000001',
          message: line,
        });

const FORMATS: LogFormat[] = ['stdout-json', 'lambda-text', 'lambda-json'];

/** Lines that mention the values without being the line. */
const DECOYS = [
  'START RequestId: 8f5c2a10 Version: $LATEST',
  'REPORT RequestId: 8f5c2a10 Duration: 1.20 ms ping_done http',
  JSON.stringify({ msg: 'other', note: 'ping_done', via: 'schedule', other: 'http' }),
  JSON.stringify({ detail: 'msg ping_done via http' }),
  JSON.stringify({ msg: 'ping_done_later', via: 'https' }),
];

describe.each(FORMATS)('metric filter patterns for %s lines', (format) => {
  const formats = [format];

  it('count the example’s real line and none of the decoys', async () => {
    // Prepare
    const line = shipped(await exampleLine({ requestContext: {}, headers: {} }), format);
    const pattern = allPairsPattern({ msg: 'ping_done' }, formats, 'logLine.json');
    // Act
    const decoys = DECOYS.map((decoy) => filterMatches(pattern, shipped(decoy, format)));
    // Assess
    expect(filterMatches(pattern, line)).toBe(true);
    expect(decoys).toStrictEqual(DECOYS.map(() => false));
  });

  it('count only the lines that came through the route', async () => {
    // Prepare
    const pattern = anyValuePattern('via', ['http'], formats, 'monitoring.routeLine');
    const http = shipped(await exampleLine({ requestContext: {}, headers: {} }), format);
    const scheduled = shipped(await exampleLine({ source: 'aws.events' }), format);
    // Act
    const counted = [http, scheduled].map((line) => filterMatches(pattern, line));
    // Assess
    expect(counted).toStrictEqual([true, false]);
  });
});

describe('metric filter pattern forms', () => {
  it('use JSON patterns for raw JSON lines: every pair, numbers and booleans', () => {
    expect(
      allPairsPattern(
        { event: 'x', level: 'INFO', n: 3, ok: true },
        ['stdout-json'],
        'logLine.json',
      ),
    ).toBe('{ ($.event = "x") && ($.level = "INFO") && ($.n = 3) && ($.ok IS TRUE) }');
  });

  it('use one regex for lines inside Lambda’s envelope, its alternatives whole', () => {
    expect(anyValuePattern('via', ['http', 'route'], ['lambda-text'], 'monitoring.routeLine')).toBe(
      '%[^A-Za-z0-9_]via[^A-Za-z0-9_]{1,3}:[^A-Za-z0-9_]{0,3}http[^A-Za-z0-9_]|[^A-Za-z0-9_]via[^A-Za-z0-9_]{1,3}:[^A-Za-z0-9_]{0,3}route[^A-Za-z0-9_]%',
    );
  });

  it.each([
    [
      { 'a b': 'x' },
      ['stdout-json'],
      'custom.smokeTest.logLine.json: the key "a b" cannot be matched by a metric filter (letters, digits and _ only)',
    ],
    [
      { event: 'say "hi"' },
      ['stdout-json'],
      'custom.smokeTest.logLine.json.event: "say \\"hi\\"" cannot hold " or \\ for a metric filter',
    ],
    [
      { msg: 'ping done' },
      ['lambda-text'],
      'custom.smokeTest.logLine.json.msg: "ping done" cannot be matched by a metric filter on a Lambda text or JSON line (letters, digits and _ : # = @ / ; , . - only)',
    ],
    [{}, ['stdout-json'], 'custom.smokeTest.logLine.json: a metric filter needs at least one key'],
  ] as const)('refuses %j in one line naming the key', (pairs, formats, message) => {
    expect(() => allPairsPattern(pairs, [...formats], 'logLine.json')).toThrow(message);
  });

  it("names the route line's values when one cannot be matched", () => {
    expect(() =>
      anyValuePattern('via', ['http', 'a b'], ['lambda-text'], 'monitoring.routeLine'),
    ).toThrow(/^custom\.smokeTest\.monitoring\.routeLine\.values: "a b" cannot be matched/);
  });
});
