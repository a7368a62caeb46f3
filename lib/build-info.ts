// Replaced at build time by esbuild's `define` (esbuild.config.cjs) and by vitest.config.ts;
// `typeof` keeps an unreplaced identifier from throwing (e.g. tsx or a plain esbuild run).
declare const __PETSAGE_VERSION__: string | undefined;
declare const __PETSAGE_RELEASE_ID__: string | undefined;

/** package.json version the bundle was built from. */
export const buildVersion: string =
  // Stryker disable next-line all: the defines are set wherever tests run; 'unknown' is for tools without them.
  typeof __PETSAGE_VERSION__ === 'string' ? __PETSAGE_VERSION__ : 'unknown';

/** Git commit the bundle was built from, or "unknown". */
export const buildReleaseId: string =
  // Stryker disable next-line all: the defines are set wherever tests run; 'unknown' is for tools without them.
  typeof __PETSAGE_RELEASE_ID__ === 'string' ? __PETSAGE_RELEASE_ID__ : 'unknown';
