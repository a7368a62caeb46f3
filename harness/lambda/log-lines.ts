import { parseJsonObject } from '../../packages/smoke-gate/src/core/json.ts';

/** The function's structured log lines in a process's output: each line that is a JSON object. */
export const logLinesOf = (output: { lines(): string[] }): Record<string, unknown>[] =>
  output.lines().flatMap((line) => {
    const parsed = line.startsWith('{') ? parseJsonObject(line) : undefined;
    return parsed === undefined ? [] : [parsed];
  });
