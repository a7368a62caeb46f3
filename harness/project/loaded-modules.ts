// Preload (node --import): records every module this process resolves and, on exit, prints them
// to stderr as one line (`loaded-modules: [...]`), so a test can assert what a command loaded.
import { registerHooks } from 'node:module';

const loaded = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  process.stderr.write(`\nloaded-modules: ${JSON.stringify([...loaded])}\n`);
});
