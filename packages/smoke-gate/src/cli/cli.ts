import { createRequire } from 'node:module';
import { closest } from '../core/closest.ts';
import { createDeadline, type Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { rangedValue } from '../core/options.ts';
import { safeText } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE, EXIT_VERIFIED } from '../core/verdicts.ts';
import { parseCli, type Values } from './flags.ts';
import { type CliIo, type Out, outputOf } from './output.ts';
import { commandUsage } from './usage.ts';

export type { CliIo } from './output.ts';
export { USAGE } from './usage.ts';

type Command = (values: Values, out: Out, deadline: Deadline) => Promise<number>;

/**
 * Each command's module, loaded only when it runs: `--help`, `--version` and a usage error load
 * no AWS client (each costs several MB and milliseconds to load).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  verify: async () => (await import('./commands/verify.ts')).runVerify,
  status: async () => (await import('./commands/status.ts')).runStatus,
  history: async () => (await import('./commands/history.ts')).runHistory,
  'records-key': async () => (await import('./commands/records-key.ts')).runRecordsKey,
  init: async () => (await import('./commands/init.ts')).runInit,
  promote: async () => (await import('./commands/shift.ts')).runPromote,
  abort: async () => (await import('./commands/shift.ts')).runAbort,
};

/** The package's own version, read from its package.json (beside src/ and dist/). */
const packageVersion = (): string =>
  createRequire(import.meta.url)('../../package.json').version as string;

/** " (did you mean verify?)" for a mistyped command, else nothing. */
const didYouMean = (name: string | undefined): string => {
  const suggestion = name === undefined ? undefined : closest(name, Object.keys(COMMANDS));
  return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
};

/** Runs the CLI; resolves to the exit code and never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const now = io.now ?? Date.now;
  // The one deadline starts here, before anything else can take time.
  const started = now();
  let out = outputOf(io, argv.includes('--json'));
  try {
    const { values, positionals } = parseCli(argv);
    out = outputOf(io, values.json === true);
    if (values.help) {
      io.stdout.write(commandUsage(positionals[0]));
      return EXIT_VERIFIED;
    }
    if (values.version) {
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT_VERIFIED;
    }
    const [name, ...rest] = positionals;
    const load = Object.hasOwn(COMMANDS, name ?? '') ? COMMANDS[name as string] : undefined;
    if (load === undefined || rest.length > 0) {
      throw new CouldNotJudgeError(
        positionals.length === 0
          ? 'missing command: verify, status, history, records-key, init, promote or abort'
          : `unknown command ${JSON.stringify(safeText(positionals.join(' '), 60))}${didYouMean(name)}`,
      );
    }
    const timeoutSeconds = rangedValue('timeout', values.timeout);
    const deadline = createDeadline(started + timeoutSeconds * 1000, now);
    const command = await load();
    return await command(values, out, deadline);
  } catch (error) {
    // Only the request's own checks throw here: a usage error, with the pointer to --help.
    return out.fail(EXIT_COULD_NOT_JUDGE, (error as Error).message, true);
  }
}
