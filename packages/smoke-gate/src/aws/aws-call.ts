import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError, DeadlineError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';
import { type AwsCallContext, awsConfigurationError, classifyAwsError } from './aws-errors.ts';

/** An SDK v3 client, as far as sending one command goes. */
export interface AwsSender {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** What one call is for and under which bound. */
export interface AwsCall extends AwsCallContext {
  /** The command's one deadline: the call is aborted when it passes. */
  deadline: Deadline;
  /** A tighter bound for this one call, in ms (e.g. an announcement that must not hold a hook). */
  capMs?: number | undefined;
  /** Words a known error in the caller's terms (e.g. "stack ... does not exist"), else undefined. */
  explain?: ((error: unknown) => CouldNotJudgeError | undefined) | undefined;
}

/**
 * A throttled or transient failure (network, 5xx, an unparseable answer): worth trying again. Its
 * message is `<what>: <detail>`; `detail` is AWS's error alone, for callers that say `what` their
 * own way.
 */
export class AwsRetryableError extends Error {
  override name = 'AwsRetryableError';
  readonly kind: 'throttled' | 'transient';
  readonly detail: string;
  constructor(kind: 'throttled' | 'transient', what: string, detail: string) {
    super(`${what}: ${detail}`);
    this.kind = kind;
    this.detail = detail;
  }
}

/** An SDK error as one line: its name and message, cut and escaped. */
export const awsErrorText = (error: unknown): string =>
  safeText(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 160);

/**
 * The one way the gate calls AWS: sends `command` on `client`, aborted at the deadline (or the
 * cap), and words what went wrong once: a DeadlineError past the deadline, the caller's own
 * explanation, a one-line CouldNotJudgeError for what a user must fix (exit 2), or an
 * AwsRetryableError for the caller's own pacing to retry.
 */
export async function callAws<Output>(
  client: AwsSender,
  command: object,
  call: AwsCall,
): Promise<Output> {
  const timer = call.deadline.timer(call.capMs);
  try {
    return (await call.deadline.race(
      client.send(command as never, { abortSignal: timer.signal }),
      call.what,
    )) as Output;
  } catch (error) {
    if (error instanceof CouldNotJudgeError) throw error;
    if (call.deadline.remainingMs() === 0) {
      throw new DeadlineError(`${call.what} did not finish before the deadline (--timeout)`);
    }
    const explained = call.explain?.(error);
    if (explained !== undefined) throw explained;
    const kind = classifyAwsError(error);
    if (kind === 'configuration') throw awsConfigurationError(error, call);
    throw new AwsRetryableError(kind, call.what, awsErrorText(error));
  } finally {
    timer.clear();
  }
}
