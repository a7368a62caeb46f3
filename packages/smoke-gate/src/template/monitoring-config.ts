// `custom.smokeTest.monitoring`: what the plugin generates to watch the function between deploys,
// read and checked at package time. `monitoring: false` generates nothing.

import type { ContractValue } from '../core/contract.ts';
import { checkKeys, section, text } from '../core/contract-config.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeJson } from '../core/safe-text.ts';
import { MONITORING_KEYS } from '../core/smoke-test-keys.ts';
import { type RouteLine, readFailureLine, readRouteLine } from '../core/watched-lines.ts';

/** What `monitoring` asks for, its defaults filled in. */
export interface MonitoringSettings {
  /** The heartbeat schedule expression (EventBridge), and whether it runs. */
  schedule: string;
  heartbeat: boolean;
  /**
   * Whether the schedule also invokes the function itself (EventBridge's scheduled event): only
   * for a handler that takes that event. Off by default: the route heartbeat fits any handler.
   */
  directHeartbeat: boolean;
  /** The heartbeat alarms' window in seconds (a multiple of 60). */
  windowSeconds: number;
  namespace: string;
  /** Metric dimensions: name to the line key that carries it and the value this stage writes. */
  dimensions: Record<string, { key: string; value: string }>;
  routeLine: RouteLine | undefined;
  /** Exact keys and values of the line the function writes when it fails, if it writes one. */
  failureLine: Record<string, ContractValue> | undefined;
  alarmEmail: string;
  alarmTopicArn: string;
  dashboard: boolean;
  /** The role CI deploys with: besides the alarms, the only publisher to the alarm topic. */
  deployRoleName: string;
  /** The fields the saved query and the dashboard show (default: the contract's line keys). */
  queryFields: string[];
}

const fail = (where: string, what: string) =>
  new CouldNotJudgeError(`custom.smokeTest.monitoring.${where} ${what}`);

const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^()]{1,200}\))$/;

function bool(value: unknown, where: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw fail(where, `must be true or false, not ${safeJson(value)}`);
}

function optional(value: unknown, where: string): string {
  return value === undefined || value === null || value === ''
    ? ''
    : text(value, `monitoring.${where}`);
}

function windowSeconds(value: unknown): number {
  const seconds = value === undefined ? 900 : Number(value);
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 86_400 || seconds % 60 !== 0) {
    throw fail(
      'windowSeconds',
      `must be a multiple of 60 from 60 to 86400, not ${safeJson(value)}`,
    );
  }
  return seconds;
}

function dimensions(value: unknown): MonitoringSettings['dimensions'] {
  const raw = section(value, 'monitoring.dimensions');
  const entries = Object.entries(raw);
  if (entries.length > 5) throw fail('dimensions', 'holds more than 5 dimensions');
  return Object.fromEntries(
    entries.map(([name, dimension]) => {
      const where = `monitoring.dimensions.${text(name, 'monitoring.dimensions key')}`;
      const entry = section(dimension, where);
      checkKeys(entry, MONITORING_KEYS.dimension, where);
      return [
        name,
        { key: text(entry.key, `${where}.key`), value: text(entry.value, `${where}.value`) },
      ];
    }),
  );
}

function fieldList(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 32)
    throw fail('queryFields', 'must list at most 32 fields');
  return value.map((field, index) => {
    const name = text(field, `monitoring.queryFields[${index}]`);
    if (!/^@?[A-Za-z_][A-Za-z0-9_.]*$/.test(name))
      throw fail(`queryFields[${index}]`, `is not a field name: ${safeJson(name)}`);
    return name;
  });
}

/** The monitoring a service asks for, or undefined for `monitoring: false`. */
export function readMonitoring(
  value: unknown,
  service: { name: string; stage: string },
): MonitoringSettings | undefined {
  if (value === false || value === 'false') return undefined;
  const raw = section(value === true ? {} : value, 'monitoring');
  checkKeys(raw, MONITORING_KEYS.monitoring, 'monitoring');
  const schedule =
    raw.schedule === undefined ? 'rate(5 minutes)' : text(raw.schedule, 'monitoring.schedule');
  if (!SCHEDULE.test(schedule)) {
    throw fail(
      'schedule',
      `must be rate(<n> minutes|hours|days) or cron(...), not ${safeJson(schedule)}`,
    );
  }
  return {
    schedule,
    heartbeat: bool(raw.heartbeat, 'heartbeat', true),
    directHeartbeat: bool(raw.directHeartbeat, 'directHeartbeat', false),
    windowSeconds: windowSeconds(raw.windowSeconds),
    namespace:
      raw.namespace === undefined
        ? `SmokeGate/${service.name}/${service.stage}`
        : text(raw.namespace, 'monitoring.namespace'),
    dimensions: dimensions(raw.dimensions),
    routeLine: readRouteLine(raw.routeLine),
    failureLine: readFailureLine(raw.failureLine),
    alarmEmail: optional(raw.alarmEmail, 'alarmEmail'),
    alarmTopicArn: optional(raw.alarmTopicArn, 'alarmTopicArn'),
    dashboard: bool(raw.dashboard, 'dashboard', true),
    deployRoleName:
      raw.deployRoleName === undefined
        ? `${service.name}-deploy`
        : text(raw.deployRoleName, 'monitoring.deployRoleName'),
    queryFields: fieldList(raw.queryFields),
  };
}

/** Which heartbeats a stage runs: none when `heartbeat` is off; each only where asked for. */
export function heartbeatsOf(monitoring: MonitoringSettings): { direct: boolean; route: boolean } {
  return {
    direct: monitoring.heartbeat && monitoring.directHeartbeat,
    route: monitoring.heartbeat && monitoring.routeLine !== undefined,
  };
}
