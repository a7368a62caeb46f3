// The verifier's time to verdict: moto as CloudWatch Logs, serverless-offline as the function,
// the log agent shipping the line after an injected ingestion delay.
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createLogAgent } from '../harness/aws/log-agent.ts';
import { motoAvailable, startMoto } from '../harness/aws/moto.ts';
import { logLinesOf } from '../harness/lambda/log-lines.ts';
import { SMOKE_LOG_EVENT } from '../lib/contract.ts';
import { createLogsClient } from '../packages/smoke-gate/src/aws/aws-clients.ts';
import { createDeadline } from '../packages/smoke-gate/src/core/deadline.ts';
import { cloudWatchLogSource } from '../packages/smoke-gate/src/verification/cloudwatch-log-source.ts';
import { startOffline } from '../packages/smoke-gate/src/verification/offline.ts';
import { verifyDeployment } from '../packages/smoke-gate/src/verification/verify-deployment.ts';
import { log, ROOT } from './settings.ts';

export interface VerdictFigures {
  injectedDelayMs: number;
  ok: boolean;
  verdictMs: number;
  verdictMinusDelayMs: number;
  filterLogEventsCalls: number;
  callsPerSecond: number;
}

/** Time to verdict for 0, 2 and 5 s of injected ingestion delay. */
export async function measureVerifier(): Promise<{ results?: VerdictFigures[]; skipped?: string }> {
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
    // The log group serverless-offline's function would have on AWS, for this one stage.
    const group = '/aws/lambda/petsage-smoke-test-bench-health';
    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    const results: VerdictFigures[] = [];
    for (const delayMs of [0, 2_000, 5_000]) {
      const seen = logLinesOf(offline).length;
      // Plays Lambda's log agent: ships the function's line to moto after the injected delay.
      const agent = (async () => {
        for (let i = 0; i < 600; i++) {
          const line = logLinesOf(offline)
            .slice(seen)
            .find((l) => l.event === SMOKE_LOG_EVENT);
          if (line) {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            await createLogAgent({ logs: client, logGroupName: group }).ship([
              { timestamp: Date.parse(String(line.timestamp)), message: JSON.stringify(line) },
            ]);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const report = await verifyDeployment({
        url: `${offline.baseUrl}/health`,
        logSource: cloudWatchLogSource({ client, logGroupName: group }),
        deadline: createDeadline(Date.now() + 60_000),
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
