import { describe, expect, it } from 'vitest';
import { frameworkTimestamp } from '../../../../packages/smoke-gate/src/deployments/rollback-by-commit.ts';

// The folder the framework restores for `rollback --timestamp <t>` is the one whose time is
// `new Date(t)`, else `new Date(Number(t))` (osls lib/plugins/aws/rollback.js): the gate's check
// must read the same.
describe('frameworkTimestamp', () => {
  it.each([
    ['1733500000000', 1_733_500_000_000],
    ['2024-12-06T15:46:40.000Z', 1_733_500_000_000],
    ['2024-12-06T15:46:40Z', 1_733_500_000_000],
    ['2024-12-06', Date.UTC(2024, 11, 6)],
  ])('reads %s as the framework does', (raw, ms) => {
    expect(frameworkTimestamp(raw)).toBe(ms);
  });

  it.each(['yesterday', '1733500000000-2024-12-06T15:46:40.000Z', '9'.repeat(20)])(
    'is undefined for %j, which names no time',
    (raw) => {
      expect(frameworkTimestamp(raw)).toBeUndefined();
    },
  );
});
