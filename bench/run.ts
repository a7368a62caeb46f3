// npm run bench: builds ours / floor / bare / typical and measures them side by side, interleaved,
// then the verifier's time to verdict against moto and serverless-offline's start and throughput.
// Prints a table, writes bench/results/latest.json and BENCHMARKS.md. Figures are never asserted.
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import autocannon from 'autocannon';
import { build, type Metafile } from 'esbuild';
import { motoAvailable, startMoto } from '../harness/moto.ts';
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

async function buildVariants() {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  log('building: serverless package (ours)...');
  const pkgDir = join(OUT, 'package');
  await run(
    process.execPath,
    [
      join(ROOT, 'node_modules/serverless/bin/serverless.js'),
      'package',
      '--stage',
      'bench',
      '--package',
      pkgDir,
    ],
    { cwd: ROOT },
  );
  await run('python3', [
    '-c',
    'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
    join(pkgDir, 'health.zip'),
    join(OUT, 'ours'),
  ]);
  const bundles: Record<Variant, string> = {
    ours: join(OUT, 'ours/functions/health.mjs'),
    floor: join(OUT, 'floor.mjs'),
    bare: join(OUT, 'bare.mjs'),
    typical: join(OUT, 'typical.cjs'),
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
    const result = await build({
      ...ourEsbuildOptions(),
      entryPoints: [join(ROOT, `bench/variants/${name}.ts`)],
      outfile: bundles[name],
      metafile: true,
    });
    metafiles[name] = result.metafile;
  }
  const typical = await build({
    entryPoints: [join(ROOT, 'bench/variants/typical.ts')],
    outfile: bundles.typical,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: false,
    define: esbuildConfig.buildDefines(),
    metafile: true,
  });
  metafiles.typical = typical.metafile;
  const sizes = {} as Record<Variant, { bytes: number; gzipBytes: number; packages: string[] }>;
  for (const name of VARIANTS) {
    const code = await readFile(bundles[name]);
    sizes[name] = {
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      packages: packagesIn(metafiles[name] as Metafile),
    };
  }
  // Where the floor's bytes go, biggest modules first.
  const floorInputs = Object.entries(
    metafiles.floor?.outputs[bundles.floor.replace(`${ROOT}`, '')]?.inputs ?? {},
  );
  return { bundles, sizes, floorInputs, oursMetafile: metafiles.ours };
}

const probe = async (args: string[]) => {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', join(ROOT, 'harness/probe.ts'), ...args],
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

async function measureCold(bundles: Record<Variant, string>) {
  const samples = Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      { importMs: [] as number[], firstInvokeMs: [] as number[], coldInitMs: [] as number[] },
    ]),
  ) as unknown as Record<Variant, Record<string, number[]>>;
  for (let round = 0; round < COLD_RUNS; round++) {
    // Interleaved, with the order rotated each round, so drift hits every variant alike.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
    for (const variant of order) {
      const figures = await probe(['cold', bundles[variant]]);
      for (const key of ['importMs', 'firstInvokeMs', 'coldInitMs'])
        samples[variant][key]?.push(figures[key] as number);
    }
    if (round % 5 === 4) log(`cold: ${round + 1}/${COLD_RUNS} rounds`);
  }
  return Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      Object.fromEntries(Object.entries(samples[v]).map(([k, values]) => [k, stats(values)])),
    ]),
  ) as Record<Variant, Record<string, Stats>>;
}

async function measureWarm(bundles: Record<Variant, string>) {
  const samples = Object.fromEntries(
    VARIANTS.map((v) => [v, [] as Record<string, number>[]]),
  ) as Record<Variant, Record<string, number>[]>;
  for (let round = 0; round < WARM_ROUNDS; round++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
    for (const variant of order)
      samples[variant].push(await probe(['warm', bundles[variant], String(WARM_INVOCATIONS)]));
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
    const client = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
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

const { bundles, sizes } = await buildVariants();
const cold = await measureCold(bundles);
const warm = await measureWarm(bundles);
const verifier = await measureVerifier();
const offline = await measureOffline();

const ratios = {
  coldInit: {
    oursToBare: ratio(cold.ours.coldInitMs?.median ?? 0, cold.bare.coldInitMs?.median ?? 1),
    oursToFloor: ratio(cold.ours.coldInitMs?.median ?? 0, cold.floor.coldInitMs?.median ?? 1),
    oursToTypical: ratio(cold.ours.coldInitMs?.median ?? 0, cold.typical.coldInitMs?.median ?? 1),
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

const rows = VARIANTS.map(
  (v) =>
    `| ${v} | ${ms(cold[v].importMs as Stats)} | ${ms(cold[v].firstInvokeMs as Stats)} | ${ms(cold[v].coldInitMs as Stats)} | ${warm[v].usPerInvocation.median.toFixed(1)} (${warm[v].usPerInvocation.min.toFixed(1)}-${warm[v].usPerInvocation.max.toFixed(1)}) | ${kb(sizes[v].bytes)} / ${kb(sizes[v].gzipBytes)} | ${(warm[v].rssBytes / 2 ** 20).toFixed(1)} MB | ${(warm[v].heapGrowthBytes / 1024).toFixed(1)} KB |`,
);
const table = [
  '| variant | import ms | first invoke ms | cold init ms | warm µs/invocation | bundle (min / gzip) | RSS after 10k | heap growth |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
  `Ratios (median): cold init ours/bare ${ratios.coldInit.oursToBare}x, ours/floor ${ratios.coldInit.oursToFloor}x, ours/typical ${ratios.coldInit.oursToTypical}x; warm ours/bare ${ratios.warm.oursToBare}x, ours/floor ${ratios.warm.oursToFloor}x, ours/typical ${ratios.warm.oursToTypical}x.`,
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

Generated by \`npm run bench\` on ${machine.date.slice(0, 10)}: Node ${machine.node}, ${machine.platform}, ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB). Cold figures: ${COLD_RUNS} fresh processes per variant, interleaved; warm: ${WARM_INVOCATIONS} invocations per process, ${WARM_ROUNDS} processes per variant, stdout to a sink. Median (min-max). Raw figures: \`bench/results/latest.json\` (not committed).

- **ours**: the bundle \`serverless package\` ships; **floor**: Middy + Powertools Logger, one line, static body, our esbuild settings; **bare**: no dependencies, same line and response; **typical**: our handler as CommonJS, not minified, Middy's early-timeout timer on, \`logEvent: true\`.

${table}

Packages inside each bundle: ${VARIANTS.map((v) => `${v}: ${sizes[v].packages.join(', ') || 'none'}`).join('; ')}.

## Verifier: time to verdict (moto as CloudWatch Logs, serverless-offline as the function)

${verifierTable}

## Local server

\`npm start\` to the first 200: ${offline.npmStartToFirst200Ms} ms. serverless-offline throughput (autocannon, 25 connections, 5 s): ${offline.throughput.requestsPerSecond} req/s, p50 ${offline.throughput.p50Ms} ms, p99 ${offline.throughput.p99Ms} ms, ${offline.throughput.non2xx} non-2xx.

${analysis}`;
await writeFile(join(ROOT, 'BENCHMARKS.md'), markdown);
process.stdout.write(
  `${table}\n\n${verifierTable}\n\nnpm start -> first 200: ${offline.npmStartToFirst200Ms} ms; offline throughput ${offline.throughput.requestsPerSecond} req/s\n`,
);
