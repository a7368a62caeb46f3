import { describe, expect, it } from 'vitest';
import { HEALTH_JSON } from '../../../../lib/contract.ts';
import {
  healthAnswerProblems,
  judgeLogMessage,
} from '../../../../packages/smoke-gate/src/verification/contract-check.ts';
import { healthBody, smokeLine } from '../../../helpers/contract-fixtures.ts';

const ID = 'smoke-1';
const headers = (overrides: Record<string, string> = {}) =>
  new Headers({ 'content-type': HEALTH_JSON, 'x-correlation-id': ID, ...overrides });

describe('healthAnswerProblems', () => {
  it('finds nothing wrong with the contract answer', () => {
    expect(healthAnswerProblems(200, headers(), JSON.stringify(healthBody(ID)), ID)).toStrictEqual(
      [],
    );
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
      JSON.stringify(healthBody(ID, { status: 'pass', message: '' })),
      ID,
    );
    // Assess
    expect(problems).toStrictEqual([
      'content-type "text/html", expected application/health+json',
      'x-correlation-id header "other", expected "smoke-1"',
      'body field "message" is missing or not a non-empty string',
      'body status "pass", expected "ok"',
    ]);
  });
});

describe('judgeLogMessage', () => {
  it('accepts the smoke line of this id', () => {
    expect(judgeLogMessage(smokeLine(ID), ID)).toMatchObject({ match: true });
  });

  it.each([
    ['a START record', `START RequestId: x Version: $LATEST ${ID}`, /not a JSON line/],
    [
      'another id containing this one',
      smokeLine(`${ID}-extended`),
      /correlation_id is "smoke-1-extended"/,
    ],
    ['another event', smokeLine(ID, { event: 'other' }), /event is "other"/],
  ])('rejects %s, saying why', (_name, message, reason) => {
    expect(judgeLogMessage(message, ID)).toStrictEqual({
      match: false,
      reason: expect.stringMatching(reason),
    });
  });
});
