import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTRACT } from '../../../../packages/smoke-gate/src/core/contract.ts';
import {
  contractConfig,
  readContract,
} from '../../../../packages/smoke-gate/src/core/contract-config.ts';
import { PETSAGE_CONTRACT } from '../../../helpers/petsage-contract.ts';

describe('readContract (custom.smokeTest)', () => {
  it('fills in every default: a 200, x-correlation-id, correlation_id, any line format', () => {
    expect(readContract({ timeout: 30 }, '/ping')).toStrictEqual({
      ...DEFAULT_CONTRACT,
      path: '/ping',
    });
  });

  it.each([
    [{ timout: 30 }, 'custom.smokeTest has an unknown key "timout": did you mean "timeout"?'],
    [
      { response: { stauts: 200 } },
      'custom.smokeTest.response has an unknown key "stauts": did you mean "status"?',
    ],
    [
      { logLine: { correlationkey: 'id' } },
      'custom.smokeTest.logLine has an unknown key "correlationkey": did you mean "correlationKey"?',
    ],
    [{ zzz: 1 }, /unknown key "zzz": known keys: function, path/],
    [
      { logLine: { format: 'text' } },
      /logLine.format must be one of stdout-json, lambda-text, lambda-json or any/,
    ],
    [{ response: { status: 500 } }, /response.status must be a 2xx status/],
    [
      { response: { status: '200' } },
      /^custom\.smokeTest\.response\.status must be a number, not the text "200": write 200 without quotes$/,
    ],
    [{ response: { json: { ok: [] } } }, /response.json.ok must be a text, number or boolean/],
    [{ path: 'health' }, /path must start with \//],
    [{ correlationHeader: 'x\nid' }, /correlationHeader must be a non-empty text/],
    [{ logLine: { required: 'service' } }, /logLine.required must be a list/],
  ])('refuses %j in one line', (raw, message) => {
    // Act
    const read = () => readContract(raw);
    // Assess
    expect(read).toThrow(message);
    expect(() => read()).toThrow(/^[^\n]+$/);
  });

  it('reads back what contractConfig stores in the template, unchanged', () => {
    expect(readContract(contractConfig(PETSAGE_CONTRACT))).toStrictEqual(PETSAGE_CONTRACT);
    expect(readContract(contractConfig(DEFAULT_CONTRACT))).toStrictEqual(DEFAULT_CONTRACT);
  });
});
