import { fileURLToPath } from 'node:url';

/** The repository root, where serverless.yml and package.json are. */
export const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));
