// The lines a service's monitoring watches besides its smoke line: which lines came through the
// route (`monitoring.routeLine`) and the line the function writes when it fails
// (`monitoring.failureLine`). Read from custom.smokeTest at package time and, the same shape,
// from the stack's template Metadata by `status` (docs/continuous-verification.md).

import type { ContractValue } from './contract.ts';
import { checkKeys, section, text } from './contract-config.ts';
import { CouldNotJudgeError } from './errors.ts';
import { safeJson } from './safe-text.ts';
import { MONITORING_KEYS } from './smoke-test-keys.ts';

/** Which lines came through the route, and the marker header the route heartbeat sends. */
export interface RouteLine {
  key: string;
  values: string[];
  header: { name: string; value: string };
}

/** The header the route heartbeat marks its calls with when the service names none. */
export const DEFAULT_HEARTBEAT_HEADER = 'x-smoke-heartbeat';

const fail = (where: string, what: string) =>
  new CouldNotJudgeError(`custom.smokeTest.monitoring.${where} ${what}`);

/** `monitoring.routeLine`: its key, 1 to 8 values, and the heartbeat's marker header. */
export function readRouteLine(value: unknown): RouteLine | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const raw = section(value, 'monitoring.routeLine');
  checkKeys(raw, MONITORING_KEYS.routeLine, 'monitoring.routeLine');
  const values = Array.isArray(raw.values) ? raw.values : [raw.values];
  if (values.length === 0 || values.length > 8)
    throw fail('routeLine.values', 'must list 1 to 8 values');
  const list = values.map((item, index) => text(item, `monitoring.routeLine.values[${index}]`));
  const header = section(raw.header, 'monitoring.routeLine.header');
  checkKeys(header, MONITORING_KEYS.header, 'monitoring.routeLine.header');
  return {
    key: text(raw.key, 'monitoring.routeLine.key'),
    values: list,
    header: {
      name:
        header.name === undefined
          ? DEFAULT_HEARTBEAT_HEADER
          : text(header.name, 'monitoring.routeLine.header.name'),
      value:
        header.value === undefined
          ? (list[0] as string)
          : text(header.value, 'monitoring.routeLine.header.value'),
    },
  };
}

/** `monitoring.failureLine`: 1 to 8 keys, each a text, number or boolean. */
export function readFailureLine(value: unknown): Record<string, ContractValue> | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const raw = section(value, 'monitoring.failureLine');
  const entries = Object.entries(raw);
  if (entries.length === 0 || entries.length > 8)
    throw fail('failureLine', 'must hold 1 to 8 keys');
  for (const [key, item] of entries) {
    text(key, 'monitoring.failureLine key');
    if (typeof item === 'string') text(item, `monitoring.failureLine.${key}`);
    else if (typeof item !== 'number' && typeof item !== 'boolean') {
      throw fail(`failureLine.${key}`, `must be a text, number or boolean, not ${safeJson(item)}`);
    }
  }
  return raw as Record<string, ContractValue>;
}

/** What the template's Metadata stores of the watched lines (custom.smokeTest's own shape). */
export interface WatchedLinesConfig {
  routeLine?: RouteLine;
  failureLine?: Record<string, ContractValue>;
  /** Stored only when false: stacks from before it was a choice all ran the direct heartbeat. */
  directHeartbeat?: false;
}

/** The watched lines as the template's Metadata stores them. */
export const watchedLinesConfig = (
  routeLine: RouteLine | undefined,
  failureLine: Record<string, ContractValue> | undefined,
  directHeartbeat = true,
): WatchedLinesConfig => ({
  ...(routeLine === undefined ? {} : { routeLine }),
  ...(failureLine === undefined ? {} : { failureLine }),
  ...(directHeartbeat ? {} : { directHeartbeat: false }),
});
