import { parseArgs } from 'node:util';
import { closest } from '../core/closest.ts';
import { ConfigurationError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';

const OPTIONS = {
  url: { type: 'string' },
  stage: { type: 'string', short: 's', multiple: true },
  local: { type: 'boolean' },
  path: { type: 'string' },
  'log-group': { type: 'string' },
  service: { type: 'string' },
  region: { type: 'string', short: 'r', multiple: true },
  targets: { type: 'string' },
  'logs-rate': { type: 'string' },
  profile: { type: 'string' },
  'aws-profile': { type: 'string' },
  'endpoint-url': { type: 'string' },
  timeout: { type: 'string' },
  'stale-after': { type: 'string' },
  json: { type: 'boolean' },
  junit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Parses the command line with Node's parseArgs; an unknown flag gets a "did you mean". */
export const parseCli = (argv: string[]) => {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2}[^']*)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const name = unknown.replace(/^-+/, '').split('=')[0] ?? '';
      const suggestion = closest(name, Object.keys(OPTIONS));
      throw new ConfigurationError(
        `unknown option ${JSON.stringify(safeText(unknown, 60))}${suggestion === undefined ? '' : ` (did you mean --${suggestion}?)`}`,
      );
    }
    throw new ConfigurationError(safeText(message.split('\n')[0] ?? message));
  }
};

/** The parsed flags. */
export type Values = ReturnType<typeof parseCli>['values'];
