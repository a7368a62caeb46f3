// npm run bench: builds ours / floor / bare / typical and measures them side by side, interleaved:
// cold starts in the runtime harness (aws-lambda-ric against the Runtime API emulator, a fresh
// process each, as Lambda reports Init), warm cost in-process, then the verifier's time to verdict
// against moto, many targets over 4 regions (and 4 accounts) against a quota-enforcing CloudWatch Logs stand-in,
// serverless-offline's start and throughput, the CLI's start against `node -e 0`, and failing
// deploys under load in the traffic mode against the all-at-once mode. Prints a table and writes
// bench/results/latest.json (untracked); BENCHMARKS.md, which is tracked, only with
// `npm run bench -- --write`. About 4 minutes. Figures are never asserted.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildVariants } from './build-variants.ts';
import { measureCliStart } from './measure-cli-start.ts';
import { measureCold } from './measure-cold.ts';
import { measureFleet } from './measure-fleet.ts';
import { measureOffline } from './measure-offline.ts';
import { measureShift } from './measure-shift.ts';
import { measureTraffic } from './measure-traffic.ts';
import { measureVerifier } from './measure-verifier.ts';
import { measureWarm } from './measure-warm.ts';
import { render } from './render.ts';
import { ROOT } from './settings.ts';

/** `--write`: regenerate the tracked BENCHMARKS.md too; without it a run changes no tracked file. */
const write = process.argv.includes('--write');
const started = Date.now();
process.stdout.write(
  `bench: about 4 minutes on a 2-core machine${write ? '; BENCHMARKS.md is rewritten at the end' : ' (BENCHMARKS.md only with --write)'}\n`,
);

const { built, sizes, settings } = await buildVariants();
const cold = await measureCold(built, settings);
const warm = await measureWarm(built);
const verifier = await measureVerifier();
const fleet = await measureFleet();
const offline = await measureOffline();
const cliStart = await measureCliStart();
const traffic = await measureTraffic();
const shift = await measureShift();

const analysis = await readFile(join(ROOT, 'bench/analysis.md'), 'utf8').catch(() => '');
const { results, markdown, summary } = render(
  { sizes, cold, warm, verifier, fleet, offline, cliStart, traffic, shift },
  analysis,
);
await mkdir(join(ROOT, 'bench/results'), { recursive: true });
await writeFile(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
if (write) await writeFile(join(ROOT, 'BENCHMARKS.md'), markdown);
process.stdout.write(summary);
process.stdout.write(
  `bench: done in ${Math.round((Date.now() - started) / 1000)} s; bench/results/latest.json${write ? ' and BENCHMARKS.md' : ''} written\n`,
);
