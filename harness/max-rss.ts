// Preload (node --import): on exit, prints this process's peak memory to stderr, so a test can
// assert the bound of a child it ran (`max-rss-kb: N`).
process.on('exit', () => {
  process.stderr.write(`\nmax-rss-kb: ${process.resourceUsage().maxRSS}\n`);
});
