import { DEFAULT_HEALTH_PATH } from './contract.ts';

/**
 * Every default and limit of one verification (the CLI's verify, `serverless smoke`, the deploy
 * hook): the README and the tests read them from here, as the three below.
 */
export const VERIFY_DEFAULTS = {
  healthPath: DEFAULT_HEALTH_PATH,
  /** Overall deadline, and the range --timeout / custom.smokeTest.timeout accept (seconds). */
  timeoutSeconds: 120,
  minTimeoutSeconds: 1,
  maxTimeoutSeconds: 3600,
  /** One attempt at the route. */
  attemptTimeoutMs: 10_000,
  /** The route's body is read up to this many (decompressed) bytes, then the read is aborted. */
  bodyCapBytes: 64 * 1024,
  /** Minimum gap between two FilterLogEvents calls: at most 2 calls in any second. */
  logCallIntervalMs: 500,
  /** Backoff between route attempts: doubles from the first value up to the second, +-25% jitter. */
  routeBackoffMs: [250, 4_000] as const,
  /** Backoff on throttling: doubles from the first value up to the second. */
  throttleBackoffMs: [1_000, 8_000] as const,
  /** Lines are searched from this long before the earlier of our clock and the route's. */
  clockSkewMarginMs: 5 * 60_000,
  /** Values echoed from outside (bodies, headers, log lines, AWS messages) are cut to this. */
  valueMaxChars: 200,
  /** At most this many reasons for rejected candidate lines are listed; the rest are counted. */
  rejectedListCap: 10,
  /** Plain (non-terminal) progress prints at most one line this often. */
  progressIntervalMs: 5_000,
  /** `--local`: how long serverless-offline may take to print "Server ready" (it bundles first). */
  offlineReadyTimeoutMs: 90_000,
  /** `--local`: how often serverless-offline's output is scanned for the line. */
  localPollIntervalMs: 100,
  /** Stopping a process group: SIGTERM, then SIGKILL after this long. */
  stopGraceMs: 5_000,
} as const;

/** `status`: a stage's continuous health. */
export const STATUS_DEFAULTS = {
  /** `status`: the last heartbeat line may be at most this old (the heartbeat alarm's window). */
  staleAfterMinutes: 15,
  /** `status --stale-after`: the range accepted, in minutes. */
  minStaleAfterMinutes: 1,
  maxStaleAfterMinutes: 1440,
  /** `status`: pages of FilterLogEvents read at most while looking for the last heartbeat. */
  statusMaxPages: 20,
} as const;

/** Many targets in one run (verify and status over --targets or several --stage/--region). */
export const MANY_TARGETS_DEFAULTS = {
  /**
   * Many targets: CloudWatch Logs calls per second per region, shared by all targets there
   * (--logs-rate; the pace one verification keeps), and the range --logs-rate accepts.
   */
  logsRatePerSecond: 2,
  maxLogsRatePerSecond: 50,
  /** The window the per-region rate is counted over, from when each call ended: 1 s. */
  logBudgetWindowMs: 1_000,
  /** Many targets: route calls and stack reads in flight at once. */
  targetConcurrency: 32,
  /** A targets file: at most this many targets, and this many bytes. */
  maxTargets: 1_000,
  maxTargetsFileBytes: 1024 * 1024,
  /**
   * A targets file nests at most this deep (brackets, braces, `- ` and indentation), checked
   * before it is parsed: a valid one nests 3 deep, and a deep one costs the parser time and memory.
   */
  maxTargetsFileDepth: 16,
} as const;

/** The gate after a deploy: what only the hooks use. */
export const GATE_DEFAULTS = {
  /** Asking STS who deploys, before anything is uploaded (the bucket guard's lockout check). */
  callerCheckTimeoutMs: 30_000,
  /** After `serverless deploy` only: how long a 404 counts as a route still propagating. */
  deployNotFoundGraceMs: 20_000,
  /** Publishing one gate event to the alarm topic: a bound of its own, so it never holds a hook. */
  gateEventTimeoutMs: 10_000,
  /**
   * The traffic mode: a candidate claim older than the longest gate there can be (twice the
   * longest --timeout) was left by a gate that died, and is taken over.
   */
  candidateClaimStaleMs: 2 * VERIFY_DEFAULTS.maxTimeoutSeconds * 1000,
  /** The traffic mode's `rollback --commit`: reading the stage and moving `live`, before the check runs. */
  rollbackCheckTimeoutMs: 60_000,
} as const;

/** A shift of traffic in steps (docs/traffic.md): its bounds and how often a bake is watched. */
export const SHIFT_DEFAULTS = {
  /** The watchers run this often while a step bakes (and once at its end). */
  checkEveryMs: 30_000,
  /** A canary's share, and a linear shift's step, in percent. */
  minPercent: 1,
  maxCanaryPercent: 99,
  maxLinearPercent: 50,
  /** A canary's bake, and the wait between a linear shift's steps, in minutes. */
  minMinutes: 1,
  maxMinutes: 60,
  /** The longest whole shift: the bake runs in the deploy command, which must end. */
  maxTotalMinutes: 120,
  /** Each watcher's call: a bound of its own inside the bake. */
  watchCallTimeoutMs: 20_000,
} as const;
