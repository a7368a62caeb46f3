import { describe, expect, it } from 'vitest';
import {
  isValidCorrelationId,
  OFFLINE_PLACEHOLDER_REQUEST_ID,
  resolveCorrelationId,
} from '../../lib/correlation.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('isValidCorrelationId', () => {
  it.each([
    'a',
    'probe-1',
    'JKJaXmPLvHcESHA=',
    'urn:petsage:probe.42',
    'x'.repeat(128),
    '0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz.:=',
  ])('accepts %j', (value) => {
    expect(isValidCorrelationId(value)).toBe(true);
  });

  it.each([
    '',
    'x'.repeat(129),
    'has space',
    'line\nbreak',
    'carriage\rreturn',
    'sep\u2028arator',
    'para\u2029graph',
    'nul\u0000byte',
    'quote"d',
    "single'quote",
    'back\\slash',
    'a,b',
    '{"json":true}',
    'tab\tbed',
    'ünïcödé',
    'trailing-newline\n',
  ])('rejects %j', (value) => {
    expect(isValidCorrelationId(value)).toBe(false);
  });

  it('rejects values that are not strings', () => {
    for (const value of [undefined, null, 42, ['probe-1'], { id: 'probe-1' }]) {
      expect(isValidCorrelationId(value)).toBe(false);
    }
  });
});

describe('resolveCorrelationId', () => {
  it('uses a valid header first', () => {
    const id = resolveCorrelationId({
      header: 'probe-1',
      apiRequestId: 'JKJaXmPLvHcESHA=',
      lambdaRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    });
    expect(id).toBe('probe-1');
  });

  it('falls back to the API Gateway request id when the header is invalid', () => {
    const id = resolveCorrelationId({
      header: 'bad\r\nvalue',
      apiRequestId: 'JKJaXmPLvHcESHA=',
      lambdaRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    });
    expect(id).toBe('JKJaXmPLvHcESHA=');
  });

  it('skips the fixed serverless-offline request id for the Lambda request id', () => {
    const id = resolveCorrelationId({
      header: undefined,
      apiRequestId: OFFLINE_PLACEHOLDER_REQUEST_ID,
      lambdaRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    });
    expect(id).toBe('c6af9ac6-7b61-11e6-9a41-93e812345678');
  });

  it('uses the Lambda request id when API Gateway gave none', () => {
    const id = resolveCorrelationId({
      header: undefined,
      apiRequestId: undefined,
      lambdaRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    });
    expect(id).toBe('c6af9ac6-7b61-11e6-9a41-93e812345678');
  });

  it('generates a fresh UUID when no id is usable', () => {
    const sources = { header: 'no good', apiRequestId: 'bad id', lambdaRequestId: undefined };
    const first = resolveCorrelationId(sources);
    const second = resolveCorrelationId(sources);
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toBe(second);
  });
});
