import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../harness/project/project.ts';
import { commandUsage, USAGE } from '../../../../packages/smoke-gate/src/cli/usage.ts';
import {
  MANY_TARGETS_DEFAULTS,
  STATUS_DEFAULTS,
  VERIFY_DEFAULTS,
} from '../../../../packages/smoke-gate/src/core/defaults.ts';
import {
  OPTIONS,
  type RangedOption,
  rangedValue,
} from '../../../../packages/smoke-gate/src/core/options.ts';
import { SmokeTestPlugin } from '../../../../packages/smoke-gate/src/plugin/index.ts';
import { SMOKE_TEST_SCHEMA } from '../../../../packages/smoke-gate/src/plugin/schema.ts';

describe('the one table of options', () => {
  it('is what --help lists: every option, its value, its help and its range', () => {
    // Act
    const listed = Object.entries(OPTIONS).filter(([, option]) => option.section !== 'hidden');
    // Assess: init's own options in its help, the others in the usage.
    for (const [name, option] of listed) {
      const help = option.section === 'init' ? commandUsage('init') : USAGE;
      const value = 'value' in option ? ` ${option.value}` : '';
      expect(help).toContain(`--${name}${value}`);
      expect(help).toContain(option.help.split('\n')[0]);
      if ('range' in option) {
        expect(USAGE).toContain(
          `${option.range.min}-${option.range.max} (default ${option.range.default})`,
        );
      }
    }
    expect(USAGE).not.toContain('--aws-profile ');
  });

  it('is what the flag table in docs/verify.md lists, no more and no less', () => {
    // Prepare
    const readme = readFileSync(join(PROJECT_DIR, 'docs/verify.md'), 'utf8');
    const table = readme.split('\n').filter((line) => /^\| `-/.test(line));
    // Act
    const named = new Set(
      table.flatMap((row) =>
        [...(row.split(' | ')[0] ?? '').matchAll(/--([a-z-]+)/g)].map((m) => m[1]),
      ),
    );
    // Assess
    expect([...named].sort()).toStrictEqual(
      Object.entries(OPTIONS)
        .filter(([, option]) => option.section !== 'init')
        .map(([name]) => name)
        .sort(),
    );
  });

  it('gives the plugin its schema and its --timeout help', () => {
    // Prepare
    const plugin = new SmokeTestPlugin(
      {
        service: {},
        getProvider: () => {
          throw new Error('unused');
        },
      },
      {},
    );
    // Assess
    expect(SMOKE_TEST_SCHEMA.properties.timeout).toStrictEqual({
      type: 'number',
      minimum: OPTIONS.timeout.range.min,
      maximum: OPTIONS.timeout.range.max,
    });
    expect(plugin.commands.smoke.options.timeout.usage).toContain('1-3600 (default 120)');
    expect(plugin.commands.smoke.options.json.usage).toBe(OPTIONS.json.help);
  });

  it('takes its defaults from VERIFY_DEFAULTS', () => {
    expect(rangedValue('timeout', undefined)).toBe(VERIFY_DEFAULTS.timeoutSeconds);
    expect(rangedValue('logs-rate', undefined)).toBe(MANY_TARGETS_DEFAULTS.logsRatePerSecond);
    expect(rangedValue('stale-after', undefined)).toBe(STATUS_DEFAULTS.staleAfterMinutes);
  });

  it.each([
    ['timeout', '0', '--timeout "0" must be a number of seconds from 1 to 3600'],
    ['timeout', 'soon', '--timeout "soon" must be a number of seconds from 1 to 3600'],
    [
      'logs-rate',
      '2.5',
      '--logs-rate "2.5" must be a whole number of calls per second from 1 to 50',
    ],
    ['logs-rate', '51', '--logs-rate "51" must be a whole number of calls per second from 1 to 50'],
    ['stale-after', '1441', '--stale-after "1441" must be a number of minutes from 1 to 1440'],
  ] as [RangedOption, string, string][])(
    'refuses --%s %s in one wording',
    (name, value, message) => {
      expect(() => rangedValue(name, value)).toThrow(message);
    },
  );

  it('accepts the ends of each range, from a flag or a config file', () => {
    expect(rangedValue('timeout', '1')).toBe(1);
    expect(rangedValue('timeout', 3600, 'custom.smokeTest.timeout')).toBe(3600);
    expect(rangedValue('logs-rate', '50')).toBe(50);
    expect(() => rangedValue('timeout', 0, 'custom.smokeTest.timeout')).toThrow(
      /^custom\.smokeTest\.timeout "0" must be/,
    );
  });
});
