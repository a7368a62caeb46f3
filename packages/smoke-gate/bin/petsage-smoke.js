#!/usr/bin/env node
// The petsage-smoke command. A plain JavaScript file that exists before the package is built, so
// npm links the bin at install time; the CLI itself is the compiled dist/cli/main.js.
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (
    error?.code !== 'ERR_MODULE_NOT_FOUND' ||
    !String(error.message).includes('dist/cli/main.js')
  ) {
    throw error;
  }
  process.stderr.write(
    'petsage-smoke: the gate package is not built (no dist/): run `npm run build` in the repository that holds it\n',
  );
  process.exitCode = 2;
}
