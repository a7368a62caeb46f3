// Which framework runs the plugin, and whether the gate is tested on it: osls 4 (told from
// Serverless v4, which also reports 4.x, by its package name) and Serverless v3.38-3.40. Outside
// that range the plugin still runs, and says so in one line (docs/frameworks.md).

import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The framework's package name and version. */
export interface FrameworkIdentity {
  name: string | undefined;
  version: string | undefined;
}

/** A path with its links followed (npx runs `node_modules/.bin/serverless`, a link to the bin). */
const followed = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/**
 * The package.json name at or above the framework's entry (its bin, links followed), at most four
 * folders up: the framework's own package, never the service's beside `node_modules/.bin`.
 */
function packageNameAbove(entry: string | undefined): string | undefined {
  let folder = entry === undefined ? undefined : dirname(followed(entry));
  for (let depth = 0; folder !== undefined && depth < 4; depth++) {
    try {
      const { name } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
      if (typeof name === 'string') return name;
    } catch {
      // No package.json here: one folder up.
    }
    const parent = dirname(folder);
    folder = parent === folder ? undefined : parent;
  }
  return undefined;
}

/** The running framework: its version as it reports it, its name from its package. */
export function frameworkIdentity(
  serverless: { version?: unknown },
  entry: string | undefined = process.argv[1],
): FrameworkIdentity {
  return {
    name: packageNameAbove(entry),
    version: typeof serverless.version === 'string' ? serverless.version : undefined,
  };
}

/** The one line for a framework the gate is not tested on, or undefined. */
export function untestedFramework({ name, version }: FrameworkIdentity): string | undefined {
  // A framework always reports its version; without one (a test's stand-in) there is no verdict.
  if (version === undefined) return undefined;
  const [major, minor] = (version ?? '').split('.').map(Number);
  if (name === 'osls' && major === 4) return undefined;
  if (name === 'serverless' && major === 3 && (minor ?? 0) >= 38 && (minor ?? 0) <= 40) {
    return undefined;
  }
  return `Smoke test: the gate is tested on osls 4 and Serverless 3.38-3.40, not ${name ?? 'an unknown framework'} ${version}; it runs, untested (docs/frameworks.md).`;
}
