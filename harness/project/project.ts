import { fileURLToPath } from 'node:url';

/** The repository root, where serverless.yml and package.json are. */
export const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** The `smoke-gate` bin as users run it (it runs the gate package's compiled CLI: `npm run build`). */
export const GATE_CLI = 'packages/smoke-gate/bin/petsage-smoke.js';
