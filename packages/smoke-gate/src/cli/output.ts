import { CouldNotJudgeError } from '../core/errors.ts';
import type { SignalSource } from '../core/interruption.ts';
import { CLI_NAME } from '../core/product.ts';
import { safeMessage } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE } from '../core/verdicts.ts';
import { errorReport, palette } from '../report/report.ts';

/** Streams and environment of one CLI run; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  now?: () => number;
  /** SIGINT and SIGTERM, and the exit they end in (default: this process). */
  signals?: SignalSource;
}

/** One CLI run's output: the report, or the one-line error (and the JSON object with --json). */
export interface Out {
  io: CliIo;
  json: boolean;
  fail(code: number, message: string, usage?: boolean): number;
  write(human: string, machine: unknown): void;
}

export const outputOf = (io: CliIo, json: boolean): Out => ({
  io,
  json,
  fail(code, message, usage = false) {
    if (json) io.stdout.write(`${JSON.stringify(errorReport(code, message))}\n`);
    io.stderr.write(`${CLI_NAME}: ${message}\n`);
    if (usage) io.stderr.write(`Run '${CLI_NAME} --help' for usage.\n`);
    return code;
  },
  write(human, machine) {
    io.stdout.write(json ? `${JSON.stringify(machine)}\n` : human);
  },
});

export const coloursOf = (io: CliIo) => palette(io.stdout.isTTY === true && !io.env.NO_COLOR);

export const notice = (io: CliIo) => (text: string) => io.stderr.write(`${text}\n`);

/** Runs a read-only command's work; any error ends it in one line with exit 2. */
export async function readOrFail<T>(
  out: Out,
  command: string,
  work: () => Promise<T>,
  usage = false,
): Promise<{ report: T } | { code: number }> {
  try {
    return { report: await work() };
  } catch (error) {
    const message =
      error instanceof CouldNotJudgeError
        ? error.message
        : `${command} could not complete: ${safeMessage(error)}`;
    return { code: out.fail(EXIT_COULD_NOT_JUDGE, message, usage) };
  }
}
