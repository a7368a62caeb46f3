import { describe, expect, it } from 'vitest';
import { closest, distance } from '../../../../packages/smoke-gate/src/core/closest.ts';

describe('distance', () => {
  it('counts single-character edits', () => {
    expect(distance('stage', 'stage')).toBe(0);
    expect(distance('stge', 'stage')).toBe(1);
    expect(distance('eu-westt-1', 'eu-west-1')).toBe(1);
    expect(distance('', 'abc')).toBe(3);
  });
});

describe('closest', () => {
  it('suggests a near miss', () => {
    expect(closest('stge', ['stage', 'service', 'url'])).toBe('stage');
    expect(closest('eu-wset-1', ['eu-west-1', 'us-east-1'])).toBe('eu-west-1');
  });

  it('suggests nothing for a value that is not a typo of any candidate', () => {
    expect(closest('completely-different', ['stage', 'url'])).toBeUndefined();
  });
});
