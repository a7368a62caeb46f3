import { sleep as realSleep, type Sleep } from '../core/deadline.ts';
import { VERIFY_DEFAULTS } from '../core/defaults.ts';
import { judgeLogMessage } from './contract-check.ts';
import type { LogSearch, LogSearchResult, LogSource } from './log-source.ts';
import { rejectionList } from './log-source.ts';

/** Options for {@link outputLogSource}. */
export interface OutputSourceOptions {
  /** Returns every output line so far, e.g. OfflineServer.lines. */
  lines: () => string[];
  description?: string;
  pollIntervalMs?: number;
  sleep?: Sleep;
}

/**
 * A local process's output as a log source: serverless-offline prints the function's log lines
 * where Lambda would ship them to CloudWatch. Same judging as the CloudWatch source.
 */
export function outputLogSource(options: OutputSourceOptions): LogSource {
  const sleep = options.sleep ?? realSleep;
  const interval = options.pollIntervalMs ?? VERIFY_DEFAULTS.localPollIntervalMs;

  const findSmokeLine = async (search: LogSearch): Promise<LogSearchResult> => {
    const rejected = rejectionList(VERIFY_DEFAULTS.rejectedListCap);
    let polls = 0;
    let scanned = 0;
    const result = (match: LogSearchResult['match']): LogSearchResult => ({
      match,
      polls,
      rejected: rejected.list(),
      throttled: 0,
      serviceAnswered: true,
      lastError: undefined,
    });
    while (true) {
      const lines = options.lines();
      polls++;
      search.onPoll?.(polls);
      for (const line of lines.slice(scanned)) {
        if (!line.includes(search.correlationId)) continue;
        const verdict = judgeLogMessage(line, search.correlationId, search.line);
        if (verdict.match) {
          return result({
            line: verdict.line,
            requestId: verdict.requestId,
            logStreamName: 'serverless-offline output',
            timestamp: undefined,
            ingestionTime: undefined,
          });
        }
        rejected.add(verdict.reason);
      }
      scanned = lines.length;
      if (interval >= search.deadline.remainingMs()) break;
      await sleep(interval);
    }
    return result(undefined);
  };

  return { description: options.description ?? 'serverless-offline output', findSmokeLine };
}
