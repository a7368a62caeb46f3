// The gate package's folders are layers (core < aws < traffic < verification < deployments < status
// < fleet < report < template < gate < plugin, cli): biome.json's noRestrictedImports, one override per layer, keeps imports
// pointing down, and noImportCycles keeps them acyclic. These tests prove the rules fire: Biome
// lints fixture files placed in a copy of the package's folders, under this repository's biome.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';

const BIOME = join(PROJECT_DIR, 'node_modules/@biomejs/biome/bin/biome');
const SRC = 'packages/smoke-gate/src';

/** Lints the given files (path under the package's src/ -> content); returns Biome's findings. */
function lint(files: Record<string, string>): { file: string; rule: string; message: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  try {
    const config = JSON.parse(readFileSync(join(PROJECT_DIR, 'biome.json'), 'utf8'));
    delete config.$schema;
    delete config.vcs;
    writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, SRC, path)), { recursive: true });
      writeFileSync(join(dir, SRC, path), content);
    }
    const run = spawnSync(process.execPath, [BIOME, 'lint', '--reporter=json', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const report = JSON.parse(run.stdout) as {
      diagnostics: { category: string; location: { path: string }; message: string }[];
    };
    return report.diagnostics.map((d) => ({
      file: d.location.path.replace(`${SRC}/`, ''),
      rule: d.category,
      message: d.message,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const importing = (spec: string) => `import { x } from '${spec}';\nexport const y = x;\n`;
const EXPORT = 'export const x = 1;\n';

describe('the gate package’s layers', () => {
  it.each([
    ['core/climb.ts', '../aws/aws-clients.ts'],
    ['aws/climb.ts', '../traffic/aliases.ts'],
    ['traffic/climb.ts', '../verification/targets.ts'],
    ['verification/climb.ts', '../deployments/history.ts'],
    ['deployments/climb.ts', '../status/status.ts'],
    ['status/climb.ts', '../fleet/run-fleet.ts'],
    ['fleet/climb.ts', '../report/report.ts'],
    ['report/climb.ts', '../template/service-gate.ts'],
    ['template/climb.ts', '../gate/after-deploy.ts'],
    ['gate/climb.ts', '../plugin/index.ts'],
    ['plugin/climb.ts', '../cli/cli.ts'],
    ['cli/climb.ts', '../plugin/index.ts'],
    ['cli/commands/climb.ts', '../../plugin/index.ts'],
  ])('refuses %s importing %s (a layer above, or the other top layer)', (file, spec) => {
    // Act
    const found = lint({ [file]: importing(spec) });
    // Assess
    expect(found).toStrictEqual([
      expect.objectContaining({ file, rule: 'lint/style/noRestrictedImports' }),
    ]);
  });

  it.each(['deployments/books.ts', 'template/read.ts', 'gate/step.ts', 'cli/commands/run.ts'])(
    'refuses the framework’s object in %s: it stays in plugin/',
    (file) => {
      // Prepare
      const up = file.startsWith('cli/commands/') ? '../..' : '..';
      // Act
      const found = lint({
        'plugin/serverless-like.ts': 'export type ServerlessLike = { a: 1 };\n',
        [file]: `import type { ServerlessLike } from '${up}/plugin/serverless-like.ts';\nexport type S = ServerlessLike;\n`,
        'plugin/adapter.ts': `import type { ServerlessLike } from './serverless-like.ts';\nexport type T = ServerlessLike;\n`,
      });
      // Assess
      expect(found).toStrictEqual([
        expect.objectContaining({ file, rule: 'lint/style/noRestrictedImports' }),
      ]);
    },
  );

  it('names the framework’s object only in plugin/', () => {
    // Act
    const naming = readdirSync(join(PROJECT_DIR, SRC), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.startsWith('plugin/'))
      .filter((file) =>
        readFileSync(join(PROJECT_DIR, SRC, file), 'utf8').includes('ServerlessLike'),
      );
    // Assess
    expect(naming).toStrictEqual([]);
  });

  it('refuses an import from outside the package (the service’s own code)', () => {
    // Act
    const found = lint({ 'core/climb.ts': importing('../../../../lib/contract.ts') });
    // Assess
    expect(found).toStrictEqual([
      expect.objectContaining({ rule: 'lint/style/noRestrictedImports' }),
    ]);
    expect(found[0]?.message).toMatch(/nothing outside its own src/);
  });

  it('lets a layer import its own folder and the layers below', () => {
    // Act
    const found = lint({
      'core/errors.ts': EXPORT,
      'aws/aws-clients.ts': EXPORT,
      'status/status.ts': EXPORT,
      'report/report.ts': `${importing('../status/status.ts')}import { e } from '../core/errors.ts';\nimport { a } from '../aws/aws-clients.ts';\nexport const z = [e, a];\n`,
      'cli/commands/verify.ts': importing('../../report/report.ts'),
      'template/service-gate.ts': importing('../report/report.ts'),
      'gate/after-deploy.ts': importing('../template/service-gate.ts'),
      'plugin/index.ts': importing('../gate/after-deploy.ts'),
    });
    // Assess
    expect(found).toStrictEqual([]);
  });

  it('refuses an import cycle', () => {
    // Act
    const found = lint({
      'core/a.ts': `import { b } from './b.ts';\nexport const a = () => b;\n`,
      'core/b.ts': `import { a } from './a.ts';\nexport const b = () => a;\n`,
    });
    // Assess
    expect(found.map((f) => f.rule)).toContain('lint/suspicious/noImportCycles');
  });
});
