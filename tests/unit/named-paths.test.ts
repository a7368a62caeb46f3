// Every path the README, the docs pages, the package's README and the workflows name exists:
// files move (the gate became a package, harness/ was grouped), and a document that still names
// the old place sends its reader nowhere.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { missingPaths } from '../helpers/named-paths.ts';

const DOCUMENTS = [
  'README.md',
  'BENCHMARKS.md',
  'packages/smoke-gate/README.md',
  ...readdirSync(join(PROJECT_DIR, 'docs')).map((file) => `docs/${file}`),
  ...readdirSync(join(PROJECT_DIR, '.github/workflows')).map((f) => `.github/workflows/${f}`),
];

describe('paths named in documents and workflows', () => {
  it.each(DOCUMENTS)('%s names only paths that exist', (document) => {
    // Act
    const missing = missingPaths(readFileSync(join(PROJECT_DIR, document), 'utf8'), PROJECT_DIR);
    // Assess
    expect(missing).toStrictEqual([]);
  });

  it('finds a named path that does not exist (the check can fail)', () => {
    // Prepare
    const text =
      'The bin is `lib/verify/cli.ts`; see harness/route/route-stand-in.ts and packages/*/dist/.';
    // Act
    const missing = missingPaths(text, PROJECT_DIR);
    // Assess
    expect(missing).toStrictEqual(['lib/verify/cli.ts']);
  });
});
