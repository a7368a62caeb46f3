// npm run bench: builds ours / floor / bare / typical and measures them side by side, interleaved:
// cold starts in the runtime harness (aws-lambda-ric against the Runtime API emulator, a fresh
// process each, as Lambda reports Init), warm cost in-process, then the verifier's time to verdict
// against moto, many targets over 4 regions against a quota-enforcing CloudWatch Logs stand-in,
// serverless-offline's start and throughput, and the CLI's start against `node -e 0`. Prints a table, writes
// bench/results/latest.json and BENCHMARKS.md. Figures are never asserted.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildVariants } from './build-variants.ts';
import { measureCliStart } from './measure-cli-start.ts';
import { measureCold } from './measure-cold.ts';
import { measureFleet } from './measure-fleet.ts';
import { measureOffline } from './measure-offline.ts';
import { measureVerifier } from './measure-verifier.ts';
import { measureWarm } from './measure-warm.ts';
import { render } from './render.ts';
import { ROOT } from './settings.ts';

const { built, sizes, settings } = await buildVariants();
const cold = await measureCold(built, settings);
const warm = await measureWarm(built);
const verifier = await measureVerifier();
const fleet = await measureFleet();
const offline = await measureOffline();
const cliStart = await measureCliStart();

const analysis = await readFile(join(ROOT, 'bench/analysis.md'), 'utf8').catch(() => '');
const { results, markdown, summary } = render(
  { sizes, cold, warm, verifier, fleet, offline, cliStart },
  analysis,
);
await mkdir(join(ROOT, 'bench/results'), { recursive: true });
await writeFile(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(ROOT, 'BENCHMARKS.md'), markdown);
process.stdout.write(summary);
