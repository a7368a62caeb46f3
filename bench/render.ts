// Renders the figures: ratios, the Markdown tables and BENCHMARKS.md's text.

import { createRequire } from 'node:module';
import { arch, cpus, platform, totalmem } from 'node:os';
import type { ColdStart } from '../harness/lambda/cold-start.ts';
import type { buildVariants } from './build-variants.ts';
import { CLI_START_RUNS, type measureCliStart } from './measure-cli-start.ts';
import type { measureCold } from './measure-cold.ts';
import { FLEET_INGESTION_DELAY_MS, type measureFleet } from './measure-fleet.ts';
import type { measureOffline } from './measure-offline.ts';
import { ALARM_AFTER_MS, type measureShift } from './measure-shift.ts';
import { type measureTraffic, TRAFFIC_LOAD_INTERVAL_MS } from './measure-traffic.ts';
import type { measureVerifier } from './measure-verifier.ts';
import type { measureWarm } from './measure-warm.ts';
import { fleetPlacesTable } from './render-fleet.ts';
import {
  COLD_RUNS,
  LEVERS,
  type Lever,
  type Stats,
  VARIANTS,
  type Variant,
  WARM_INVOCATIONS,
  WARM_ROUNDS,
} from './settings.ts';

const require = createRequire(import.meta.url);

/** Everything one run measured. */
export interface Figures {
  sizes: Awaited<ReturnType<typeof buildVariants>>['sizes'];
  cold: Awaited<ReturnType<typeof measureCold>>;
  warm: Awaited<ReturnType<typeof measureWarm>>;
  verifier: Awaited<ReturnType<typeof measureVerifier>>;
  fleet: Awaited<ReturnType<typeof measureFleet>>;
  offline: Awaited<ReturnType<typeof measureOffline>>;
  cliStart: Awaited<ReturnType<typeof measureCliStart>>;
  traffic: Awaited<ReturnType<typeof measureTraffic>>;
  shift: Awaited<ReturnType<typeof measureShift>>;
}

/** The stopped canary's rows: what it served against its share, and the alarm to all-old time. */
function shiftTable(shift: Figures['shift']): string {
  const r = shift.results;
  if (r === undefined) return `skipped: ${shift.skipped}`;
  const share = r.weightedRequests === 0 ? 0 : (100 * r.servedByNew) / r.weightedRequests;
  return [
    `| a canary of 10% for 1 min, its failure alarm set to ALARM ${ALARM_AFTER_MS / 1000} s into its step | figure |`,
    '| --- | --- |',
    `| from the alarm's change to the old version serving every request | ${r.alarmToAllOldMs === null ? 'never' : `${r.alarmToAllOldMs} ms`} |`,
    `| public requests while live was weighted | ${r.weightedRequests} |`,
    `| of them served by the new version (configured ${r.configuredPercent}%) | ${r.servedByNew} (${share.toFixed(1)}%) |`,
    `| the deploy's exit code | ${r.exitCode} |`,
  ].join('\n');
}

/** The JSON results, the Markdown report (before the analysis) and the terminal summary. */
export function render(figures: Figures, analysis: string) {
  const { sizes, cold, warm, verifier, fleet, offline, cliStart, traffic, shift } = figures;
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const ms = (s: Stats) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}-${s.max.toFixed(1)})`;

  const coldRatio = (a: Variant | Lever, b: Variant, key: keyof ColdStart) =>
    ratio(cold[a][key].median, cold[b][key].median);
  const ratios = {
    firstResponse: {
      oursToBare: coldRatio('ours', 'bare', 'firstResponseMs'),
      oursToFloor: coldRatio('ours', 'floor', 'firstResponseMs'),
      oursToTypical: coldRatio('ours', 'typical', 'firstResponseMs'),
    },
    init: {
      oursToBare: coldRatio('ours', 'bare', 'initMs'),
      oursToFloor: coldRatio('ours', 'floor', 'initMs'),
      oursToTypical: coldRatio('ours', 'typical', 'initMs'),
    },
    warm: {
      oursToBare: ratio(warm.ours.usPerInvocation.median, warm.bare.usPerInvocation.median),
      oursToFloor: ratio(warm.ours.usPerInvocation.median, warm.floor.usPerInvocation.median),
      oursToTypical: ratio(warm.ours.usPerInvocation.median, warm.typical.usPerInvocation.median),
    },
  };
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
  const results = {
    machine,
    coldRuns: COLD_RUNS,
    warmInvocations: WARM_INVOCATIONS,
    sizes,
    cold,
    warm,
    ratios,
    verifier,
    fleet,
    offline,
    cliStart,
    traffic,
    shift,
  };

  const coldCells = (name: Variant | Lever) =>
    `${ms(cold[name].initMs)} | ${ms(cold[name].firstInvokeMs)} | ${ms(cold[name].firstResponseMs)}`;
  const rows = VARIANTS.map(
    (v) =>
      `| ${v} | ${coldCells(v)} | ${warm[v].usPerInvocation.median.toFixed(1)} (${warm[v].usPerInvocation.min.toFixed(1)}-${warm[v].usPerInvocation.max.toFixed(1)}) | ${kb(sizes[v].bytes)} / ${kb(sizes[v].gzipBytes)} | ${(warm[v].rssBytes / 2 ** 20).toFixed(1)} MB | ${(warm[v].heapGrowthBytes / 1024).toFixed(1)} KB |`,
  );
  const table = [
    '| variant | Init ms (spawn → first GET /next) | first invocation ms | cold request ms (spawn → first response) | warm µs/invocation (in-process) | bundle (min / gzip) | RSS after 10k (in-process) | heap growth |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Ratios (median): cold request ours/bare ${ratios.firstResponse.oursToBare}x, ours/floor ${ratios.firstResponse.oursToFloor}x, ours/typical ${ratios.firstResponse.oursToTypical}x; Init ours/bare ${ratios.init.oursToBare}x, ours/floor ${ratios.init.oursToFloor}x; warm ours/bare ${ratios.warm.oursToBare}x, ours/floor ${ratios.warm.oursToFloor}x, ours/typical ${ratios.warm.oursToTypical}x.`,
  ].join('\n');
  const leverTable = [
    '| lever tried on ours | Init ms | first invocation ms | cold request ms | vs ours (cold request) |',
    '| --- | --- | --- | --- | --- |',
    `| ours as shipped (Logger's node:crypto deferred, no cache) | ${coldCells('ours')} | 1.00x |`,
    ...LEVERS.map(
      (lever) =>
        `| ${lever} | ${coldCells(lever)} | ${coldRatio(lever, 'ours', 'firstResponseMs')}x |`,
    ),
  ].join('\n');

  const verifierTable =
    verifier.results !== undefined
      ? [
          '| injected ingestion delay | verdict | verdict − delay | FilterLogEvents calls | calls/s |',
          '| --- | --- | --- | --- | --- |',
          ...verifier.results.map(
            (r) =>
              `| ${r.injectedDelayMs} ms | ${r.verdictMs} ms (${r.ok ? 'PASS' : 'FAIL'}) | ${r.verdictMinusDelayMs} ms | ${r.filterLogEventsCalls} | ${r.callsPerSecond} |`,
          ),
        ].join('\n')
      : `skipped: ${verifier.skipped}`;

  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const fleetTable = [
    '| targets (accounts x regions) | all verdicts | goal | verified (account named) | peak calls/s in one account-region (budget) | throttled | FilterLogEvents calls | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...fleet.map(
      (r) =>
        `| ${r.targets} (${r.accounts} x ${r.regions}) | ${seconds(r.allVerdictsMs)} | ${seconds(r.goalMs)} ${r.allVerdictsMs <= r.goalMs ? 'met' : 'MISSED'} | ${r.verified}/${r.targets} (${r.accountNamed}) | ${r.peakCallsPerSecond} (${r.budgetPerSecond}) | ${r.throttled} | ${r.filterLogEventsCalls} | ${r.maxRssMb} MB |`,
    ),
  ].join('\n');
  const placesTable = fleetPlacesTable(fleet.filter((r) => r.accounts > 1).at(-1));

  const startRow = (name: string, kind: keyof typeof cliStart, rss: boolean) =>
    `| ${name} | ${ms(cliStart[kind].wallMs)} | ${ratio(cliStart[kind].wallMs.median, cliStart.node.wallMs.median)}x | ${rss ? `${cliStart[kind].maxRssMb.median.toFixed(0)} MB` : '-'} |`;
  const startTable = [
    '| command (a fresh process) | wall ms | vs `node -e 0` | peak RSS |',
    '| --- | --- | --- | --- |',
    startRow('`node -e 0`', 'node', true),
    startRow('`petsage-smoke --help`', 'help', true),
    startRow('`petsage-smoke verify`, spawn to its first route call', 'verify', false),
  ].join('\n');

  const trafficTable =
    traffic.results !== undefined
      ? [
          '| failing deploy (one public request every 50 ms) | public requests during it | served by the failing version | from the FAIL to the old version serving again |',
          '| --- | --- | --- | --- |',
          ...traffic.results.map(
            (r) =>
              `| ${r.case} | ${r.requests} | ${r.servedByFailing} | ${r.failToOldMs === null ? 'the old version never stopped' : `${r.failToOldMs} ms`} |`,
          ),
        ].join('\n')
      : `skipped: ${traffic.skipped}`;

  const markdown = `# Benchmarks

Generated by \`npm run bench\` on ${machine.date.slice(0, 10)}: Node ${machine.node}, ${machine.platform}, ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB). Cold figures come from the runtime harness, where Lambda's Init happens: AWS's Node.js runtime client (aws-lambda-ric ${require('aws-lambda-ric/package.json').version}) started as Lambda's bootstrap starts it (128 MB heap flags, the template's environment and logging controls) against the Runtime API emulator, ${COLD_RUNS} fresh processes per variant, interleaved with rotated order. Init is spawn to the runtime's first \`GET /next\`, as Lambda reports it; the cold request is spawn to the first response posted. Warm figures are in-process (the handler called in a loop: ${WARM_INVOCATIONS} invocations per process, ${WARM_ROUNDS} processes per variant, stdout to a sink). Median (min-max). Raw figures: \`bench/results/latest.json\` (not committed). Stand-ins: the emulator plays Lambda's RAPID and a \`node:http\` preload plays the runtime client's native HTTP client; not measured: the zip download, the sandbox, the arm64 CPU.

- **ours**: the bundle \`serverless package\` ships; **floor**: Middy + Powertools Logger, one line, static body, our esbuild settings; **bare**: no dependencies, same line and response; **typical**: our handler as CommonJS, not minified, Middy's early-timeout timer on, \`logEvent: true\`.

${table}

## Levers tried on the cold start (measured each run)

${leverTable}

Packages inside each bundle: ${VARIANTS.map((v) => `${v}: ${sizes[v].packages.join(', ') || 'none'}`).join('; ')}.

## Verifier: time to verdict (moto as CloudWatch Logs, serverless-offline as the function)

${verifierTable}

## Many targets in one run (fleet route and a quota-enforcing CloudWatch Logs stand-in)

\`petsage-smoke verify --targets\` as a fresh process, the targets spread evenly over the accounts and regions (stages outside the run's own account read through a role there, assumed from the stand-in's STS); each line shows ${FLEET_INGESTION_DELAY_MS} ms after it was written; the stand-in throttles past the budget in any second of one account and region, measured where the calls arrive. Goal: ingestion delay + targets per account-region / budget + 2 s.

${fleetTable}

${placesTable}

## The CLI's start (the gate package's compiled bin, paired with \`node -e 0\`)

${CLI_START_RUNS} runs of each, interleaved with rotated order, on this Node; \`verify\` is timed from spawn to the moment its first request reaches a local route (then stopped), so it includes loading its AWS clients and resolving its target. Median (min-max).

${startTable}

## The traffic mode: failing deploys under load (moto, the alias-resolving route stand-in)

The project's osls deploys copies of this service to moto while one caller hits the public route every ${TRAFFIC_LOAD_INTERVAL_MS} ms; the route stand-in counts which code or version answered each request (docs/traffic.md). The FAIL moment is when the gate's line announcing the way back (\`Rolling back:\`, \`moving live back\`) reached the bench; resolution: one request interval. The version that fails after promotion serves the public route for its public check (\`timeout: 15\` here). moto updates a stack in well under a second: on AWS the stack rollback of the first row takes minutes, the alias update of the last does not.

${trafficTable}

## The traffic mode in steps: a canary stopped by an alarm, under load

The same caller, a copy with \`canary: { percent: 10, minutes: 1 }\`; ${ALARM_AFTER_MS / 1000} s after the live alias is weighted (polled in moto: the step), the bench sets the stage's failure alarm to ALARM in moto (SetAlarmState). The gate checks the watch right after each step's probe and then every 30 s: the time below is the wait for that next check, the alias update, and the first request after it (at most one check interval). The route stand-in picks a weighted alias's version by a seeded draw, as Lambda does by weight. Not measured: CloudWatch's own evaluation before an alarm changes state (minutes on AWS).

${shiftTable(shift)}

## Local server

\`npm start\` to the first 200: ${offline.npmStartToFirst200Ms} ms. serverless-offline throughput (autocannon, 25 connections, 5 s): ${offline.throughput.requestsPerSecond} req/s, p50 ${offline.throughput.p50Ms} ms, p99 ${offline.throughput.p99Ms} ms, ${offline.throughput.non2xx} non-2xx.

${analysis}`;

  const summary = `${table}\n\n${leverTable}\n\n${verifierTable}\n\n${fleetTable}\n\n${placesTable}\n\n${startTable}\n\n${trafficTable}\n\n${shiftTable(shift)}\n\nnpm start -> first 200: ${offline.npmStartToFirst200Ms} ms; offline throughput ${offline.throughput.requestsPerSecond} req/s\n`;

  return { results, markdown, summary };
}
