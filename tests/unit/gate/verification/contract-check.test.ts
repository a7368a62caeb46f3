import { describe, expect, it } from 'vitest';
import { HEALTH_JSON } from '../../../../lib/contract.ts';
import { readContract } from '../../../../packages/smoke-gate/src/core/contract-config.ts';
import {
  healthAnswerProblems,
  judgeLogMessage,
} from '../../../../packages/smoke-gate/src/verification/contract-check.ts';
import { healthBody, smokeLine } from '../../../helpers/contract-fixtures.ts';
import { PETSAGE_CONTRACT } from '../../../helpers/petsage-contract.ts';

const ID = 'smoke-1';
const headers = (overrides: Record<string, string> = {}) =>
  new Headers({ 'content-type': HEALTH_JSON, 'x-correlation-id': ID, ...overrides });

/** A second service's contract: plain JS, console.log, its own names. */
const PLAIN = readContract({
  path: '/ping',
  correlationHeader: 'X-Trace-Id',
  response: { json: { ok: true }, required: ['region'] },
  logLine: { json: { msg: 'ping_done' }, required: ['region'], correlationKey: 'trace' },
});
const plainLine = (trace: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ msg: 'ping_done', trace, region: 'eu-west-1', ...extra });

describe('healthAnswerProblems', () => {
  it('finds nothing wrong with the contract answer', () => {
    // Act
    const problems = healthAnswerProblems(
      200,
      headers(),
      JSON.stringify(healthBody(ID)),
      ID,
      PETSAGE_CONTRACT,
    );
    // Assess
    expect(problems).toStrictEqual([]);
  });

  it.each([
    ['with a charset', `${HEALTH_JSON}; charset=utf-8`],
    ['in capitals', HEALTH_JSON.toUpperCase()],
  ])('accepts the contract’s media type %s', (_name, contentType) => {
    // Act
    const problems = healthAnswerProblems(
      200,
      headers({ 'content-type': contentType }),
      JSON.stringify(healthBody(ID)),
      ID,
      PETSAGE_CONTRACT,
    );
    // Assess
    expect(problems).toStrictEqual([]);
  });

  it('refuses a body that is JSON but not an object', () => {
    // Act
    const problems = healthAnswerProblems(200, headers(), '["ok"]', ID, PETSAGE_CONTRACT);
    // Assess
    expect(problems).toContain('body is not a JSON object');
  });

  it('says a 404 in one line, not ten missing body fields', () => {
    // Act
    const problems = healthAnswerProblems(404, new Headers(), '{"message":"Not Found"}', ID);
    // Assess
    expect(problems).toStrictEqual(['status 404, expected 200: "{\\"message\\":\\"Not Found\\"}"']);
  });

  it('names each broken part of a 200', () => {
    // Act
    const problems = healthAnswerProblems(
      200,
      headers({ 'content-type': 'text/html', 'x-correlation-id': 'other' }),
      JSON.stringify(healthBody(ID, { status: 'pass', message: '', correlationId: 'x' })),
      ID,
      PETSAGE_CONTRACT,
    );
    // Assess
    expect(problems).toStrictEqual([
      'content-type "text/html", expected application/health+json',
      'x-correlation-id header "other", expected "smoke-1"',
      'body status "pass", expected "ok"',
      'body correlationId "x", expected "smoke-1"',
      'body key "message" is missing or empty',
    ]);
  });

  it('holds a service to its own status, keys and header, and to nothing it did not ask', () => {
    // Prepare
    const plainHeaders = new Headers({ 'content-type': 'text/plain' });
    // Act
    const good = healthAnswerProblems(200, plainHeaders, '{"ok":true,"region":"x"}', ID, PLAIN);
    const bad = healthAnswerProblems(200, plainHeaders, '{"ok":"true"}', ID, PLAIN);
    const created = healthAnswerProblems(201, plainHeaders, '', ID, PLAIN);
    // Assess
    expect(good).toStrictEqual([]);
    expect(bad).toStrictEqual([
      'body ok "true", expected true',
      'body key "region" is missing or empty',
    ]);
    expect(created).toStrictEqual(['status 201, expected 200']);
  });

  it('reads no body when the contract asks only for the status', () => {
    expect(healthAnswerProblems(200, new Headers(), 'OK', ID)).toStrictEqual([]);
  });
});

describe('judgeLogMessage', () => {
  it('accepts the smoke line of this id', () => {
    expect(judgeLogMessage(smokeLine(ID), ID, PETSAGE_CONTRACT.logLine)).toMatchObject({
      match: true,
      format: 'stdout-json',
    });
  });

  it.each([
    ['a START record', `START RequestId: x Version: $LATEST ${ID}`, /not a JSON line/],
    [
      'another id containing this one',
      smokeLine(`${ID}-extended`),
      /correlation_id is "smoke-1-extended"/,
    ],
    ['another event', smokeLine(ID, { event: 'other' }), /line event "other", expected/],
    ['an ERROR line', smokeLine(ID, { level: 'ERROR' }), /line level "ERROR", expected "INFO"/],
    ['a line without a required key', smokeLine(ID, { service: '' }), /key "service" is missing/],
    ['a JSON array', `[${smokeLine(ID)}]`, /not a JSON object/],
    ['a JSON string', JSON.stringify(smokeLine(ID)), /not a JSON line/],
    ['a JSON number', '42', /not a JSON line/],
    [
      'Lambda’s Text format around a JSON array',
      `2026-12-02T10:00:00.000Z\t8f5c-11aa\tINFO\t[${smokeLine(ID)}]`,
      /not a JSON object/,
    ],
  ])('rejects %s, saying why', (_name, message, reason) => {
    expect(judgeLogMessage(message, ID, PETSAGE_CONTRACT.logLine)).toStrictEqual({
      match: false,
      reason: expect.stringMatching(reason),
    });
  });

  it.each([
    ['raw JSON (stdout-json)', plainLine(ID), 'stdout-json', undefined],
    [
      'Lambda’s Text format (lambda-text)',
      `2026-12-02T10:00:00.000Z\t8f5c-11aa\tINFO\t${plainLine(ID)}`,
      'lambda-text',
      '8f5c-11aa',
    ],
    [
      'Lambda’s JSON format (lambda-json)',
      JSON.stringify({
        timestamp: '2026-12-02T10:00:00.000Z',
        level: 'INFO',
        requestId: '8f5c-11bb',
        message: plainLine(ID),
      }),
      'lambda-json',
      '8f5c-11bb',
    ],
  ])('finds a line in %s, with Lambda’s request id', (_name, message, format, requestId) => {
    expect(judgeLogMessage(message, ID, PLAIN.logLine)).toMatchObject({
      match: true,
      format,
      requestId,
      line: { trace: ID },
    });
  });

  it('refuses a line in a format the contract does not allow', () => {
    // Prepare
    const textOnly = { ...PLAIN.logLine, formats: ['lambda-text' as const] };
    // Act
    const verdict = judgeLogMessage(plainLine(ID), ID, textOnly);
    // Assess
    expect(verdict).toStrictEqual({
      match: false,
      reason: 'a JSON line, not in the configured format',
    });
  });

  it.each([
    ['the id under another key', plainLine('other', { note: ID })],
    [
      'another message in the envelope',
      JSON.stringify({ requestId: 'r', message: plainLine(ID, { msg: 'x' }) }),
    ],
    ['a text line whose message is not JSON', `t\tr\tINFO\tping_done ${ID}`],
  ])('rejects %s', (_name, message) => {
    expect(judgeLogMessage(message, ID, PLAIN.logLine)).toMatchObject({ match: false });
  });
});
