// Which service the CLI reads, when a run names a stage: `--service`, else the literal `service:`
// of the serverless.yml in the folder it runs in. There is no default: a service is never
// guessed (docs/verify.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';

/** Stack name parts as the framework allows a service name. */
export const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** The serverless.yml (or .yaml) in `cwd`, capped; undefined when there is none. */
export function serviceFile(cwd: string): { name: string; text: string } | undefined {
  for (const name of ['serverless.yml', 'serverless.yaml']) {
    try {
      return { name, text: readFileSync(join(cwd, name), 'utf8').slice(0, 1_000_000) };
    } catch {
      // Not here: the next name.
    }
  }
  return undefined;
}

/**
 * The service the run names: `--service`, else the top-level `service:` of ./serverless.yml
 * (a plain name, quoted or not); undefined when neither says. A `service:` the CLI cannot read as
 * a name (a `${…}` variable, an object) is refused in one line naming `--service`.
 */
export function serviceOf(values: { service?: string | undefined }, cwd = process.cwd()) {
  if (values.service !== undefined) return values.service;
  const file = serviceFile(cwd);
  if (file === undefined) return undefined;
  const line = /^service:[ \t]*(.*?)[ \t]*(?:#.*)?$/m.exec(file.text)?.[1];
  if (line === undefined) return undefined;
  const name = line.replace(/^(['"])(.*)\1$/, '$2');
  if (!SERVICE_NAME.test(name)) {
    throw new CouldNotJudgeError(
      `${file.name} names its service ${JSON.stringify(safeText(line, 80))}, which the CLI does not resolve: pass --service <name>`,
    );
  }
  return name;
}

/** The service a stage's run needs; refused in one line when nothing names it. */
export function requiredService(values: { service?: string | undefined }, cwd = process.cwd()) {
  const service = serviceOf(values, cwd);
  if (service === undefined) {
    throw new CouldNotJudgeError(
      "no service: pass --service <name>, or run beside the service's serverless.yml",
    );
  }
  return service;
}
