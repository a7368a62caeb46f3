import { describe, expect, it } from 'vitest';
import { ago, seconds } from '../../../../packages/smoke-gate/src/report/durations.ts';

describe('seconds', () => {
  it('writes a duration in seconds with one decimal', () => {
    expect([seconds(0), seconds(2_449), seconds(61_000)]).toStrictEqual([
      '0.0 s',
      '2.4 s',
      '61.0 s',
    ]);
  });
});

describe('ago', () => {
  it('says seconds up to two minutes, then minutes', () => {
    expect([ago(42_000), ago(119_000), ago(120_000), ago(3_600_000)]).toStrictEqual([
      '42 s ago',
      '119 s ago',
      '2 min ago',
      '60 min ago',
    ]);
  });
});
