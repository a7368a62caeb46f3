/** A smoke-test log line found for a correlation id. */
export interface LogMatch {
  line: Record<string, unknown>;
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
  /** Why candidates that mentioned the id were not accepted (deduplicated). */
  rejected: string[];
}

/** Parameters of one search. */
export interface LogSearch {
  correlationId: string;
  /** Epoch ms; lines before it are not searched. */
  startTime: number;
  /** Epoch ms by which the search gives up. */
  deadline: number;
  /** Called after each poll with the running count. */
  onPoll?: (polls: number) => void;
}

/** Where log lines are looked for: CloudWatch Logs after a deploy, serverless-offline locally. */
export interface LogSource {
  /** Human description for the report, e.g. `CloudWatch Logs group /aws/lambda/…`. */
  readonly description: string;
  findSmokeLine(search: LogSearch): Promise<LogSearchResult>;
}

/** Waits; swapped in tests. */
export type Sleep = (ms: number) => Promise<void>;

/** The real sleep. */
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
