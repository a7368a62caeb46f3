import { describe, expect, it } from 'vitest';
import {
  asGateRollback,
  isGateRollback,
} from '../../../../packages/smoke-gate/src/gate/internal-rollback.ts';
import { SmokeTestPlugin } from '../../../../packages/smoke-gate/src/plugin/index.ts';

describe('the gate’s own rollback', () => {
  it('is known by its command while it runs, and only then, even when it fails', async () => {
    // Prepare
    const cliOptions = { timestamp: '1764657000123' };
    const seen: boolean[] = [];
    // Act
    await asGateRollback(cliOptions, async () => seen.push(isGateRollback(cliOptions)));
    const failed = asGateRollback(cliOptions, async () => {
      throw new Error('rollback failed');
    });
    // Assess
    await expect(failed).rejects.toThrow('rollback failed');
    expect(seen).toStrictEqual([true]);
    expect(isGateRollback(cliOptions)).toBe(false);
    expect(isGateRollback({ timestamp: '1764657000123' })).toBe(false);
  });

  it('is not verified again by the plugin’s rollback hook; a rollback someone ran is', async () => {
    // Prepare
    const cliOptions = { timestamp: '1764657000123' };
    const plugin = new SmokeTestPlugin(
      { service: {}, getProvider: () => ({}) as never },
      cliOptions,
    );
    const verified: string[] = [];
    plugin.verify = async (trigger) => {
      verified.push(trigger);
    };
    // Act
    await asGateRollback(cliOptions, () => plugin.verifyRollback());
    await plugin.verifyRollback();
    // Assess
    expect(verified).toStrictEqual(['rollback']);
  });
});
