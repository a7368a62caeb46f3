import type { LogLineContract, SmokeContract } from '../core/contract.ts';
import type { Deadline } from '../core/deadline.ts';

/** A smoke-test log line found for a correlation id. */
export interface LogMatch {
  line: Record<string, unknown>;
  /** Lambda's request id of the call that wrote it, when the line's format carries one. */
  requestId?: string | undefined;
  logStreamName: string | undefined;
  /** Event time and the time the log service received it (epoch ms), when the source knows. */
  timestamp: number | undefined;
  ingestionTime: number | undefined;
}

/** What a search for the line found. */
export interface LogSearchResult {
  match: LogMatch | undefined;
  /** Calls made to the log service (or scans of local output). */
  polls: number;
  /** Why candidates that mentioned the id were not accepted (deduplicated, capped). */
  rejected: string[];
  /** Calls the log service refused as throttled. */
  throttled: number;
  /** True when the last call got an answer: "not found" is then a verdict, not a guess. */
  serviceAnswered: boolean;
  /** The last error seen, if any call failed (cut and escaped). */
  lastError: string | undefined;
}

/** Parameters of one search. */
export interface LogSearch {
  correlationId: string;
  /** What the line must carry (the contract's defaults when undefined). */
  line?: LogLineContract | undefined;
  /** Epoch ms; lines before it are not searched. */
  startTime: number;
  /** The run's one deadline: the search gives up when it passes. */
  deadline: Deadline;
  /** Called after each poll with the running count. */
  onPoll?: (polls: number) => void;
}

/** Where log lines are looked for: CloudWatch Logs after a deploy, serverless-offline locally. */
export interface LogSource {
  /** Human description for the report, e.g. `CloudWatch Logs group /aws/lambda/…`. */
  readonly description: string;
  findSmokeLine(search: LogSearch): Promise<LogSearchResult>;
}

/** Collects why candidate lines were rejected: distinct reasons, the first few listed. */
export function rejectionList(cap: number) {
  const reasons = new Set<string>();
  let more = 0;
  return {
    add(reason: string) {
      if (reasons.has(reason)) return;
      if (reasons.size < cap) reasons.add(reason);
      else more++;
    },
    list: (): string[] => [...reasons, ...(more > 0 ? [`…and ${more} more rejected line(s)`] : [])],
  };
}

/** A target resolved for one verification: the route, where its line lands, what to stop after. */
export interface ResolvedTarget {
  url: string;
  /** What the target declares it answers and writes (its stack's Metadata, its serverless.yml). */
  contract?: SmokeContract | undefined;
  logSource: LogSource;
  stop: () => Promise<void>;
}
