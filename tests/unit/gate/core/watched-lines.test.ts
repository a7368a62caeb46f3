import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HEARTBEAT_HEADER,
  readFailureLine,
  readRouteLine,
  watchedLinesConfig,
} from '../../../../packages/smoke-gate/src/core/watched-lines.ts';

describe('readRouteLine', () => {
  it('defaults the heartbeat header to the neutral name and its value to the first value', () => {
    expect(readRouteLine({ key: 'via', values: 'http' })).toStrictEqual({
      key: 'via',
      values: ['http'],
      header: { name: DEFAULT_HEARTBEAT_HEADER, value: 'http' },
    });
    expect(DEFAULT_HEARTBEAT_HEADER).toBe('x-smoke-heartbeat');
  });

  it.each([undefined, null, false])('is off for %s', (value) => {
    expect(readRouteLine(value)).toBeUndefined();
  });

  it('refuses an unknown key with the closest known one', () => {
    expect(() => readRouteLine({ key: 'via', value: ['http'] })).toThrow(
      'custom.smokeTest.monitoring.routeLine has an unknown key "value": did you mean "values"?',
    );
  });
});

describe('readFailureLine', () => {
  it('takes texts, numbers and booleans', () => {
    expect(readFailureLine({ msg: 'ping_failed', code: 5, ok: false })).toStrictEqual({
      msg: 'ping_failed',
      code: 5,
      ok: false,
    });
  });

  it('refuses a value that is a map, naming the key', () => {
    expect(() => readFailureLine({ msg: { nested: true } })).toThrow(
      'custom.smokeTest.monitoring.failureLine.msg must be a text, number or boolean, not {"nested":true}',
    );
  });

  it('refuses an empty map', () => {
    expect(() => readFailureLine({})).toThrow(
      'custom.smokeTest.monitoring.failureLine must hold 1 to 8 keys',
    );
  });
});

describe('watchedLinesConfig', () => {
  it('stores only the lines a service names', () => {
    expect(watchedLinesConfig(undefined, undefined)).toStrictEqual({});
    expect(watchedLinesConfig(undefined, { msg: 'x' })).toStrictEqual({
      failureLine: { msg: 'x' },
    });
  });
});
