// Preload (node --import): on exit, prints this process's peak memory to stderr, so a test or the
// bench can read the bound of a child it ran (`max-rss-kb: N`). Plain JavaScript: a TypeScript
// preload would make Node load its type stripper first, adding its own time and memory to every
// figure it measures.
process.on('exit', () => {
  process.stderr.write(`\nmax-rss-kb: ${process.resourceUsage().maxRSS}\n`);
});
