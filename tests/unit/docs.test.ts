// Docs that cannot lie about options: every flag the README and the docs pass to `smoke-gate`
// exists in the gate's one options table, and every flag they pass to `serverless` is the
// plugin's own or on the framework's allow-list below. (Paths are held by named-paths.test.ts,
// the README's sandbox walkthrough by the sandbox suite.) The README stays short.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { OPTIONS } from '../../packages/smoke-gate/src/core/options.ts';
import { SmokeTestPlugin } from '../../packages/smoke-gate/src/plugin/index.ts';

const DOCUMENTS = [
  'README.md',
  'packages/smoke-gate/README.md',
  ...readdirSync(join(PROJECT_DIR, 'docs')).map((file) => `docs/${file}`),
];

/** The framework's own flags these docs use (osls and Serverless v3 both have each). */
const FRAMEWORK_FLAGS = [
  'stage',
  'region',
  'param',
  'timestamp',
  'data',
  'path',
  'function',
  'help',
  'httpPort',
  'lambdaPort',
  'config',
  'verbose',
];

/** The plugin's flags, as it declares them to the framework (smoke, deploy, rollback). */
const pluginFlags = (): string[] => {
  const plugin = new SmokeTestPlugin(
    { service: { service: 'docs', custom: {} }, getProvider: () => ({}) } as never,
    {},
    { log: { notice: () => undefined } },
  );
  return Object.values(plugin.commands).flatMap((command) => Object.keys(command.options ?? {}));
};

/** Each `--flag` passed to `smoke-gate <command>` or `serverless <command>` in `text`. */
function flagsIn(text: string): { gate: string[]; framework: string[] } {
  const gate = new Set<string>();
  const framework = new Set<string>();
  const flags = (rest: string) => rest.match(/(?<![\w-])--[a-zA-Z][\w-]*/g) ?? [];
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(
      /(?:smoke-gate|petsage-smoke) (?:verify|status|history)\b(.*)/g,
    )) {
      for (const flag of flags(m[1] ?? '')) gate.add(flag.slice(2));
    }
    for (const m of line.matchAll(
      /(?:serverless|sls) (?:deploy|rollback|smoke|offline|package|invoke|info|remove)\b(.*)/g,
    )) {
      for (const flag of flags(m[1] ?? '')) framework.add(flag.slice(2));
    }
  }
  return { gate: [...gate], framework: [...framework] };
}

/** The flags in `text` that do not exist: `smoke-gate --x` or `serverless deploy --x`. */
function unknownFlags(text: string): string[] {
  const { gate, framework } = flagsIn(text);
  const known = new Set([...pluginFlags(), ...FRAMEWORK_FLAGS]);
  return [
    ...gate.filter((flag) => !Object.hasOwn(OPTIONS, flag)).map((flag) => `smoke-gate --${flag}`),
    ...framework.filter((flag) => !known.has(flag)).map((flag) => `serverless --${flag}`),
  ];
}

describe('the docs', () => {
  it.each(DOCUMENTS)('%s names only options that exist', (document) => {
    expect(unknownFlags(readFileSync(join(PROJECT_DIR, document), 'utf8'))).toStrictEqual([]);
  });

  it('finds an option that does not exist (the check can fail)', () => {
    // Prepare
    const text = [
      'npx smoke-gate verify --stage prod --retries 3',
      '`npx serverless deploy --stage prod --skip-smoek`',
      'npx serverless rollback --stage prod --commit abc --force',
    ].join('\n');
    // Act, Assess
    expect(unknownFlags(text)).toStrictEqual(['smoke-gate --retries', 'serverless --skip-smoek']);
  });

  it('keeps the README to at most 200 lines', () => {
    const lines = readFileSync(join(PROJECT_DIR, 'README.md'), 'utf8').split('\n').length;
    expect(lines).toBeLessThanOrEqual(200);
  });
});
