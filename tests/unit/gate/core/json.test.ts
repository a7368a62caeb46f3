import { describe, expect, it } from 'vitest';
import { isRecord, parseJsonObject } from '../../../../packages/smoke-gate/src/core/json.ts';

describe('isRecord', () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    ['{}', false],
    [1, false],
  ])('says %j is an object: %s', (value, expected) => {
    expect(isRecord(value)).toBe(expected);
  });
});

describe('parseJsonObject', () => {
  it.each([
    ['{"event":"smoke_test_executed"}', { event: 'smoke_test_executed' }],
    ['[{"event":"x"}]', undefined],
    ['"text"', undefined],
    ['{"broken":', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (text, expected) => {
    expect(parseJsonObject(text)).toStrictEqual(expected);
  });
});
