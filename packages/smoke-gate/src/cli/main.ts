#!/usr/bin/env node
// The `smoke-gate` command (also `petsage-smoke`): runs the CLI on this process's arguments and streams.
import { runCli } from './cli.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
// Exit now: a credential process or socket that outran the deadline must not keep us alive.
process.stdout.write('', () => process.exit(code));
