import { parseArgs } from 'node:util';
import { closest } from '../core/closest.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { OPTIONS } from '../core/options.ts';
import { safeText } from '../core/safe-text.ts';

/** The option a mistyped name most likely meant: a near spelling, or the one it starts. */
function suggestOption(name: string): string | undefined {
  const names = Object.keys(OPTIONS).filter(
    (option) => OPTIONS[option as keyof typeof OPTIONS].section !== 'hidden',
  );
  const started = names.filter((option) => name.length >= 3 && option.startsWith(name));
  return started.length === 1 ? started[0] : closest(name, names);
}

/** Parses the command line with Node's parseArgs and the one options table; "did you mean". */
export const parseCli = (argv: string[]) => {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2}[^']*)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const suggestion = suggestOption(unknown.replace(/^-+/, '').split('=')[0] ?? '');
      throw new CouldNotJudgeError(
        `unknown option ${JSON.stringify(safeText(unknown, 60))}${suggestion === undefined ? '' : ` (did you mean --${suggestion}?)`}`,
      );
    }
    throw new CouldNotJudgeError(safeText(message.split('\n')[0] ?? message));
  }
};

/** The parsed flags. */
export type Values = ReturnType<typeof parseCli>['values'];
