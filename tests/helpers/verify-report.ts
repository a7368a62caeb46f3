import type { VerifyReport } from '../../packages/smoke-gate/src/verification/verify-deployment.ts';

/** A real-shaped report: the route answered, the line never arrived. */
export const failedReport: VerifyReport = {
  ok: false,
  verdict: 'failed',
  correlationId: 'smoke-1',
  url: 'https://h/health',
  logSource: 'CloudWatch Logs group /aws/lambda/x',
  http: { ok: true, status: 200, latencyMs: 87, attempts: 1, throttled: false, problems: [] },
  log: {
    found: false,
    searched: true,
    logStreamName: null,
    ingestionDelayMs: null,
    foundAfterMs: null,
    waitedMs: 6000,
    functionRequestId: null,
    polls: 12,
    throttled: 0,
    rejected: [],
    problems: ['no smoke-test line with correlation_id "smoke-1" & <friends>'],
  },
  elapsedMs: 6100,
  hints: ['Check the region'],
};
