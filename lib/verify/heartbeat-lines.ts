import { SMOKE_LOG_EVENT } from '../contract.ts';
import { createLogsClient } from './aws-clients.ts';
import { createLogCallPacer, filterLogEventsOnce } from './cloudwatch-log-source.ts';
import { VERIFY_DEFAULTS } from './defaults.ts';
import { DeadlineError } from './errors.ts';
import { safeText } from './safe-text.ts';
import type { StatusRequest } from './status.ts';

/** The newest line of each heartbeat kind. */
export interface Newest {
  direct?: { timestamp: number; rule: string | null };
  route?: { timestamp: number; trigger: string };
}

/** The newest direct heartbeat line and the newest line through the route, since `startTime`. */
export async function newestLines(
  request: Pick<StatusRequest, 'aws' | 'deadline' | 'now' | 'sleep'>,
  logGroupName: string,
  startTime: number,
): Promise<Newest> {
  const logs = createLogsClient(request.aws);
  const pacer = createLogCallPacer({ sleep: request.sleep, now: request.now });
  const newest: Newest = {};
  let nextToken: string | undefined;
  let pages = 0;
  while (pages < VERIFY_DEFAULTS.statusMaxPages) {
    if (!(await pacer.next(request.deadline.at))) {
      throw new DeadlineError(
        'reading the heartbeat lines did not finish before the deadline (--timeout)',
      );
    }
    const call = await filterLogEventsOnce(
      logs,
      // A quoted term narrows; each line is judged here (trigger and event as JSON keys).
      { logGroupName, startTime, filterPattern: `"${SMOKE_LOG_EVENT}"`, nextToken },
      {
        what: `CloudWatch Logs group ${safeText(logGroupName)}`,
        deadline: request.deadline.at,
        region: request.aws.region,
        profile: request.aws.profile,
        now: request.now,
      },
    );
    if ('retry' in call) {
      if (call.retry === 'throttled') pacer.throttled();
      continue;
    }
    pacer.answered();
    pages++;
    for (const event of call.page.events ?? []) {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(event.message ?? '') as Record<string, unknown>;
      } catch {
        continue;
      }
      if (line?.event !== SMOKE_LOG_EVENT) continue;
      const timestamp = event.timestamp ?? Date.parse(String(line.timestamp));
      if (!Number.isFinite(timestamp)) continue;
      if (line.trigger === 'schedule' && timestamp > (newest.direct?.timestamp ?? -1)) {
        const rule = typeof line.schedule_rule === 'string' ? safeText(line.schedule_rule) : null;
        newest.direct = { timestamp, rule };
      }
      if (
        (line.trigger === 'route-heartbeat' || line.trigger === 'http') &&
        timestamp > (newest.route?.timestamp ?? -1)
      ) {
        newest.route = { timestamp, trigger: line.trigger };
      }
    }
    nextToken = call.page.nextToken;
    if (nextToken === undefined) break;
  }
  return newest;
}
