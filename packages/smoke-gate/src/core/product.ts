// The product's one name, as every output, report, event and session says it: the gate belongs
// to no service (docs/smoke-gate-package.md). `petsage-smoke`, its first bin's name, keeps working.

/** The name in headings and messages. */
export const PRODUCT = 'Smoke gate';

/** The command line's name (its bin); `petsage-smoke` is the same program. */
export const CLI_NAME = 'smoke-gate';
