// npm run bench: builds ours / floor / bare / typical and measures them side by side, interleaved:
// cold starts in the runtime harness (aws-lambda-ric against the Runtime API emulator, a fresh
// process each, as Lambda reports Init), warm cost in-process, then the verifier's time to verdict
// against moto and serverless-offline's start and throughput. Prints a table, writes
// bench/results/latest.json and BENCHMARKS.md. Figures are never asserted.
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import autocannon from 'autocannon';
import { build, type Metafile } from 'esbuild';
import { type ColdStart, measureColdStart } from '../harness/cold-start.ts';
import getEvent from '../harness/events/http-api-get.json' with { type: 'json' };
import { type RuntimeOptions, runtimeSettingsFrom } from '../harness/lambda-runtime.ts';
import { motoAvailable, startMoto } from '../harness/moto.ts';
import { healthFunction, packageService } from '../harness/packaged.ts';
import { createLogsClient } from '../lib/verify/aws-clients.ts';
import { cloudWatchLogSource } from '../lib/verify/cloudwatch-log-source.ts';
import { freePort, startOffline } from '../lib/verify/offline.ts';
import { verifyDeployment } from '../lib/verify/verify-deployment.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench/.build');
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 25);
const WARM_INVOCATIONS = Number(process.env.BENCH_WARM_INVOCATIONS ?? 10_000);
const WARM_ROUNDS = 3;
const VARIANTS = ['ours', 'floor', 'bare', 'typical'] as const;
type Variant = (typeof VARIANTS)[number];
/** Levers tried on ours, measured cold beside the variants each run (kept or not: BENCHMARKS.md). */
const LEVERS = ['ours, eager node:crypto', 'ours + V8 compile cache'] as const;
type Lever = (typeof LEVERS)[number];

const require = (await import('node:module')).createRequire(import.meta.url);
const esbuildConfig = require('../esbuild.config.cjs') as ((
  sls?: unknown,
) => Record<string, unknown>) & {
  buildDefines: () => Record<string, string>;
};

const log = (text: string) => process.stderr.write(`${text}\n`);

/** esbuild options exactly as serverless-esbuild gets them, minus the plugin-only keys. */
const ourEsbuildOptions = () => {
  const { exclude, outputFileExtension, outputBuildFolder, ...options } = esbuildConfig({});
  return { ...options, external: exclude as string[], target: 'node24', platform: 'node' as const };
};

const packagesIn = (metafile: Metafile): string[] =>
  [
    ...new Set(
      Object.keys(metafile.inputs)
        .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1])
        .filter((name): name is string => name !== undefined),
    ),
  ].sort();

/** Where a variant's code is: its task root and _HANDLER, and the bundle file itself. */
interface Built {
  taskRoot: string;
  handler: string;
  bundle: string;
  environment?: Record<string, string>;
}

async function buildVariants() {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  log('building: serverless package (ours)...');
  const pkg = await packageService(join(OUT, 'package'), 'bench');
  const settings = runtimeSettingsFrom(healthFunction(pkg.template));
  const built = {} as Record<Variant | Lever, Built>;
  built.ours = {
    taskRoot: pkg.taskRoot,
    handler: settings.handler,
    bundle: join(pkg.taskRoot, 'functions/health.mjs'),
  };
  const metafiles: Partial<Record<Variant, Metafile>> = {};
  const ours = await build({
    ...ourEsbuildOptions(),
    entryPoints: [join(ROOT, 'functions/health.ts')],
    outfile: join(OUT, 'ours-metafile.mjs'),
    metafile: true,
  });
  metafiles.ours = ours.metafile;
  for (const name of ['floor', 'bare'] as const) {
    const bundle = join(OUT, name, 'index.mjs');
    const result = await build({
      ...ourEsbuildOptions(),
      entryPoints: [join(ROOT, `bench/variants/${name}.ts`)],
      outfile: bundle,
      metafile: true,
    });
    metafiles[name] = result.metafile;
    built[name] = { taskRoot: join(OUT, name), handler: 'index.handler', bundle };
  }
  const typicalBundle = join(OUT, 'typical', 'index.cjs');
  const typical = await build({
    entryPoints: [join(ROOT, 'bench/variants/typical.ts')],
    outfile: typicalBundle,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: false,
    define: esbuildConfig.buildDefines(),
    metafile: true,
  });
  metafiles.typical = typical.metafile;
  built.typical = {
    taskRoot: join(OUT, 'typical'),
    handler: 'index.handler',
    bundle: typicalBundle,
  };

  // Lever 1, measured to show what it buys: ours with the Logger's eager node:crypto import.
  const withoutPlugin = { ...ourEsbuildOptions(), plugins: [] };
  const eagerDir = join(OUT, 'ours-eager-crypto');
  await build({
    ...withoutPlugin,
    entryPoints: [join(ROOT, 'functions/health.ts')],
    outfile: join(eagerDir, 'functions/health.mjs'),
  });
  built['ours, eager node:crypto'] = {
    taskRoot: eagerDir,
    handler: settings.handler,
    bundle: join(eagerDir, 'functions/health.mjs'),
  };
  // Lever 2: V8's compile cache shipped with the zip (NODE_COMPILE_CACHE pointing into the task
  // root, filled at build time by importing the bundle once and exiting normally).
  const cachedDir = join(OUT, 'ours-compile-cache');
  await cp(pkg.taskRoot, cachedDir, { recursive: true });
  const cacheEnv = { NODE_COMPILE_CACHE: join(cachedDir, '.node-compile-cache') };
  await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(join(cachedDir, 'functions/health.mjs'))})`,
    ],
    { env: { ...process.env, ...cacheEnv } },
  );
  built['ours + V8 compile cache'] = {
    taskRoot: cachedDir,
    handler: settings.handler,
    bundle: join(cachedDir, 'functions/health.mjs'),
    environment: cacheEnv,
  };

  const sizes = {} as Record<Variant, { bytes: number; gzipBytes: number; packages: string[] }>;
  for (const name of VARIANTS) {
    const code = await readFile(built[name].bundle);
    sizes[name] = {
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      packages: packagesIn(metafiles[name] as Metafile),
    };
  }
  return { built, sizes, settings };
}

const probe = async (bundle: string) => {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', join(ROOT, 'harness/probe.ts'), bundle, String(WARM_INVOCATIONS)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        STAGE: 'bench',
      },
    },
  );
  return JSON.parse(stdout.trim()) as Record<string, number>;
};

interface Stats {
  median: number;
  min: number;
  max: number;
}
const stats = (values: number[]): Stats => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number };
};

type ColdStats = Record<keyof ColdStart, Stats>;

async function measureCold(
  built: Record<Variant | Lever, Built>,
  settings: Omit<RuntimeOptions, 'taskRoot' | 'runtimeApi'>,
) {
  const names = [...VARIANTS, ...LEVERS];
  const samples = Object.fromEntries(names.map((n) => [n, [] as ColdStart[]])) as Record<
    Variant | Lever,
    ColdStart[]
  >;
  for (let round = 0; round < COLD_RUNS; round++) {
    // Interleaved, with the order rotated each round, so drift hits every variant alike.
    const order = names.map((_, i) => names[(i + round) % names.length] as Variant | Lever);
    for (const name of order) {
      const { taskRoot, handler, environment } = built[name];
      samples[name].push(
        await measureColdStart(
          {
            ...settings,
            taskRoot,
            handler,
            environment: { ...settings.environment, ...environment },
          },
          getEvent,
        ),
      );
    }
    if (round % 5 === 4) log(`cold: ${round + 1}/${COLD_RUNS} rounds`);
  }
  const keys = ['initMs', 'firstInvokeMs', 'firstResponseMs'] as const;
  return Object.fromEntries(
    names.map((n) => [
      n,
      Object.fromEntries(keys.map((k) => [k, stats(samples[n].map((s) => s[k]))])),
    ]),
  ) as Record<Variant | Lever, ColdStats>;
}

async function measureWarm(built: Record<Variant | Lever, Built>) {
  const samples = Object.fromEntries(
    VARIANTS.map((v) => [v, [] as Record<string, number>[]]),
  ) as Record<Variant, Record<string, number>[]>;
  for (let round = 0; round < WARM_ROUNDS; round++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
    for (const variant of order) samples[variant].push(await probe(built[variant].bundle));
    log(`warm: ${round + 1}/${WARM_ROUNDS} rounds`);
  }
  return Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      {
        usPerInvocation: stats(samples[v].map((s) => s.warmUsPerInvocation as number)),
        rssBytes: stats(samples[v].map((s) => s.rssBytes as number)).median,
        heapUsedBytes: stats(samples[v].map((s) => s.heapUsedBytes as number)).median,
        heapGrowthBytes: stats(samples[v].map((s) => s.heapGrowthBytes as number)).median,
      },
    ]),
  ) as Record<
    Variant,
    { usPerInvocation: Stats; rssBytes: number; heapUsedBytes: number; heapGrowthBytes: number }
  >;
}

interface VerdictFigures {
  injectedDelayMs: number;
  ok: boolean;
  verdictMs: number;
  verdictMinusDelayMs: number;
  filterLogEventsCalls: number;
  callsPerSecond: number;
}

async function measureVerifier(): Promise<{ results?: VerdictFigures[]; skipped?: string }> {
  if (!motoAvailable()) return { skipped: 'moto_server not found' };
  const [moto, offline] = await Promise.all([
    startMoto(),
    startOffline({ cwd: ROOT, stage: 'bench' }),
  ]);
  try {
    const client = createLogsClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      base: { credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } },
    });
    const group = '/aws/lambda/petsage-smoke-test-bench-health';
    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    const results: VerdictFigures[] = [];
    for (const delayMs of [0, 2_000, 5_000]) {
      const seen = offline.logLines().length;
      // Plays Lambda's log agent: ships the function's line to moto after the injected delay.
      const agent = (async () => {
        for (let i = 0; i < 600; i++) {
          const line = offline
            .logLines()
            .slice(seen)
            .find((l) => l.event === 'smoke_test_executed');
          if (line) {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            const stream = `bench-${delayMs}`;
            await client.send(
              new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }),
            );
            await client.send(
              new PutLogEventsCommand({
                logGroupName: group,
                logStreamName: stream,
                logEvents: [
                  { timestamp: Date.parse(String(line.timestamp)), message: JSON.stringify(line) },
                ],
              }),
            );
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const report = await verifyDeployment({
        url: `${offline.baseUrl}/health`,
        logSource: cloudWatchLogSource({ client, logGroupName: group }),
        timeoutMs: 60_000,
      });
      await agent;
      results.push({
        injectedDelayMs: delayMs,
        ok: report.ok,
        verdictMs: report.elapsedMs,
        verdictMinusDelayMs: report.elapsedMs - delayMs,
        filterLogEventsCalls: report.log.polls,
        callsPerSecond: Number((report.log.polls / (report.elapsedMs / 1000)).toFixed(2)),
      });
      log(`verifier: delay ${delayMs} ms -> verdict in ${report.elapsedMs} ms`);
    }
    return { results };
  } finally {
    await Promise.all([moto.stop(), offline.stop()]);
  }
}

async function measureOffline() {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const started = performance.now();
  const child = spawn(
    'npm',
    ['start', '--', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
    { cwd: ROOT, detached: true, stdio: 'ignore' },
  );
  try {
    let firstOkMs = Number.NaN;
    for (let i = 0; i < 1200; i++) {
      try {
        const response = await fetch(`http://127.0.0.1:${httpPort}/health`);
        if (response.status === 200) {
          firstOkMs = performance.now() - started;
          break;
        }
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await autocannon({
      url: `http://127.0.0.1:${httpPort}/health`,
      connections: 25,
      duration: 5,
    });
    return {
      npmStartToFirst200Ms: Math.round(firstOkMs),
      throughput: {
        connections: 25,
        durationS: 5,
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      },
    };
  } finally {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  }
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (s: Stats) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}-${s.max.toFixed(1)})`;

const { built, sizes, settings } = await buildVariants();
const cold = await measureCold(built, settings);
const warm = await measureWarm(built);
const verifier = await measureVerifier();
const offline = await measureOffline();

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
  offline,
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

await mkdir(join(ROOT, 'bench/results'), { recursive: true });
await writeFile(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
const analysis = await readFile(join(ROOT, 'bench/analysis.md'), 'utf8').catch(() => '');
const markdown = `# Benchmarks

Generated by \`npm run bench\` on ${machine.date.slice(0, 10)}: Node ${machine.node}, ${machine.platform}, ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB). Cold figures come from the runtime harness, where Lambda's Init happens: AWS's Node.js runtime client (aws-lambda-ric ${require('aws-lambda-ric/package.json').version}) started as Lambda's bootstrap starts it (128 MB heap flags, the template's environment and logging controls) against the Runtime API emulator, ${COLD_RUNS} fresh processes per variant, interleaved with rotated order. Init is spawn to the runtime's first \`GET /next\`, as Lambda reports it; the cold request is spawn to the first response posted. Warm figures are in-process (the handler called in a loop: ${WARM_INVOCATIONS} invocations per process, ${WARM_ROUNDS} processes per variant, stdout to a sink). Median (min-max). Raw figures: \`bench/results/latest.json\` (not committed). Stand-ins: the emulator plays Lambda's RAPID and a \`node:http\` preload plays the runtime client's native HTTP client; not measured: the zip download, the sandbox, the arm64 CPU.

- **ours**: the bundle \`serverless package\` ships; **floor**: Middy + Powertools Logger, one line, static body, our esbuild settings; **bare**: no dependencies, same line and response; **typical**: our handler as CommonJS, not minified, Middy's early-timeout timer on, \`logEvent: true\`.

${table}

## Levers tried on the cold start (measured each run)

${leverTable}

Packages inside each bundle: ${VARIANTS.map((v) => `${v}: ${sizes[v].packages.join(', ') || 'none'}`).join('; ')}.

## Verifier: time to verdict (moto as CloudWatch Logs, serverless-offline as the function)

${verifierTable}

## Local server

\`npm start\` to the first 200: ${offline.npmStartToFirst200Ms} ms. serverless-offline throughput (autocannon, 25 connections, 5 s): ${offline.throughput.requestsPerSecond} req/s, p50 ${offline.throughput.p50Ms} ms, p99 ${offline.throughput.p99Ms} ms, ${offline.throughput.non2xx} non-2xx.

${analysis}`;
await writeFile(join(ROOT, 'BENCHMARKS.md'), markdown);
process.stdout.write(
  `${table}\n\n${leverTable}\n\n${verifierTable}\n\nnpm start -> first 200: ${offline.npmStartToFirst200Ms} ms; offline throughput ${offline.throughput.requestsPerSecond} req/s\n`,
);
