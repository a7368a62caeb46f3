// The CLI's start, as a fresh process on this Node, paired with `node -e 0` (the floor: Node
// itself) and interleaved: `petsage-smoke --help` to its exit, and `verify`'s time from spawn to
// its first route call (a local route that records when the request arrives; the run is then
// stopped by its pid). Peak memory from the max-rss preload.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GATE_CLI } from '../harness/project/project.ts';
import { log, ROOT, type Stats, stats } from './settings.ts';

export const CLI_START_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);

/** One kind of start: wall time to the moment that counts, and peak memory. */
export interface StartFigures {
  wallMs: Stats;
  maxRssMb: Stats;
}

const MAX_RSS = join(ROOT, 'harness/project/max-rss.mjs');

/** Spawns node with args; resolves at exit (or when `until` resolves first) with ms and peak KB. */
function timed(args: string[], until?: Promise<number>): Promise<{ ms: number; rssKb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', MAX_RSS, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      NO_COLOR: '1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number>((resolve) =>
    child.on('close', () => resolve(performance.now())),
  );
  return (async () => {
    const end = await Promise.race([exited, ...(until ? [until] : [])]);
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    const rss = Number(/max-rss-kb: (\d+)/.exec(stderr)?.[1] ?? 0);
    return { ms: end - started, rssKb: rss };
  })();
}

/** `node -e 0`, `petsage-smoke --help` and `verify` to its first route call, CLI_START_RUNS each. */
export async function measureCliStart(): Promise<Record<'node' | 'help' | 'verify', StartFigures>> {
  let arrived: ((at: number) => void) | undefined;
  const route = createServer((_request, response) => {
    arrived?.(performance.now());
    response.writeHead(503).end();
  });
  route.listen(0, '127.0.0.1');
  await new Promise((resolve) => route.once('listening', resolve));
  const url = `http://127.0.0.1:${(route.address() as AddressInfo).port}/health`;
  const samples = { node: [], help: [], verify: [] } as Record<
    'node' | 'help' | 'verify',
    { ms: number; rssKb: number }[]
  >;
  const cli = join(ROOT, GATE_CLI);
  try {
    for (let run = 0; run < CLI_START_RUNS; run++) {
      const kinds = ['node', 'help', 'verify'] as const;
      for (const kind of [...kinds.slice(run % 3), ...kinds.slice(0, run % 3)]) {
        if (kind === 'node') samples.node.push(await timed(['-e', '0']));
        if (kind === 'help') samples.help.push(await timed([cli, '--help']));
        if (kind === 'verify') {
          const first = new Promise<number>((resolve) => {
            arrived = resolve;
          });
          const args = [cli, 'verify', '--url', url, '--log-group', '/aws/lambda/bench'];
          samples.verify.push(
            await timed([...args, '--region', 'us-east-1', '--timeout', '30'], first),
          );
        }
      }
    }
  } finally {
    route.close();
  }
  const figures = (kind: 'node' | 'help' | 'verify'): StartFigures => ({
    wallMs: stats(samples[kind].map((s) => s.ms)),
    maxRssMb: stats(samples[kind].map((s) => s.rssKb / 1024)),
  });
  const result = { node: figures('node'), help: figures('help'), verify: figures('verify') };
  log(
    `cli start: node -e 0 ${result.node.wallMs.median.toFixed(0)} ms, --help ${result.help.wallMs.median.toFixed(0)} ms, verify to first route call ${result.verify.wallMs.median.toFixed(0)} ms`,
  );
  return result;
}
