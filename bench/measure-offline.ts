// serverless-offline: npm start to the first 200, then throughput under autocannon.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort, stopProcessGroup } from '../packages/smoke-gate/src/verification/offline.ts';
import { ROOT } from './settings.ts';

/** `npm start` to the first 200, and throughput at 25 connections for 5 s. */
export async function measureOffline() {
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
    await stopProcessGroup(child);
  }
}
