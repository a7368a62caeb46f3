import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's top folders whose paths a document may name. */
const NAMED =
  /(?<![\w/.@-])((?:functions|lib|packages|harness|tests|bench|docs|examples|\.github)\/[\w./-]*[\w/])/g;

/** Paths a build or the bench writes, named by documents but never committed. */
const GENERATED = new Set(['functions/health.mjs', 'bench/results/latest.json']);

/**
 * The paths a document names (README, docs, workflows) that do not exist under `root`: glob
 * patterns and placeholders (`*`, `<...>`) and built output (`dist/`, GENERATED) are not checked.
 */
export function missingPaths(text: string, root: string): string[] {
  const named = new Set([...text.matchAll(NAMED)].map((match) => match[1] as string));
  return [...named].filter(
    (path) =>
      !/[*<>]|(^|\/)dist\//.test(path) && !GENERATED.has(path) && !existsSync(join(root, path)),
  );
}
