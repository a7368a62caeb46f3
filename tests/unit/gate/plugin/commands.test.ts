import { describe, expect, it } from 'vitest';
import { PLUGIN_COMMANDS } from '../../../../packages/smoke-gate/src/plugin/commands.ts';

describe('the commands and options the plugin adds to the framework', () => {
  it('adds serverless smoke, with its deadline, --json and --junit', () => {
    expect(PLUGIN_COMMANDS.smoke.lifecycleEvents).toStrictEqual(['verify']);
    expect(Object.keys(PLUGIN_COMMANDS.smoke.options)).toStrictEqual(['timeout', 'json', 'junit']);
    expect(PLUGIN_COMMANDS.smoke.options.timeout.usage).toMatch(/^Deadline in seconds, 1-3600/);
  });

  it('adds --commit and --force to rollback, and the gate’s options to deploy, each with its help', () => {
    expect(Object.keys(PLUGIN_COMMANDS.rollback.options)).toStrictEqual(['commit', 'force']);
    expect(Object.keys(PLUGIN_COMMANDS.deploy.options)).toStrictEqual([
      'skip-smoke',
      'skip-rollback',
      'junit',
      'json',
      'traffic',
    ]);
    for (const command of Object.values(PLUGIN_COMMANDS)) {
      for (const option of Object.values(command.options)) {
        expect(option.usage).not.toMatch(/\n/);
        expect(option.usage.length).toBeGreaterThan(10);
      }
    }
  });
});
