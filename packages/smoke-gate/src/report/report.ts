import { PRODUCT } from '../core/product.ts';
import { fitWidth, sparkline } from '../core/sparkline.ts';
import type { HistoryReport } from '../deployments/history.ts';
import type { LineAge, StatusReport } from '../status/status.ts';
import type { VerifyReport } from '../verification/verify-deployment.ts';
import { ago, seconds } from './durations.ts';

/** Colours for a terminal; identity functions when colour is off. */
export interface Palette {
  pass: (text: string) => string;
  fail: (text: string) => string;
  dim: (text: string) => string;
}

/** ANSI colours, or none when NO_COLOR is set or the stream is not a terminal. */
export function palette(enabled: boolean): Palette {
  const wrap = (code: number) => (text: string) =>
    enabled ? `\u001b[${code}m${text}\u001b[0m` : text;
  return { pass: wrap(32), fail: wrap(31), dim: wrap(2) };
}

/** The human report: one PASS/FAIL line per step, then what to check on failure. */
export function formatReport(report: VerifyReport, colours: Palette = palette(false)): string {
  const mark = (ok: boolean) => (ok ? colours.pass('PASS') : colours.fail('FAIL'));
  const lines = [`${PRODUCT}: ${report.url}`];
  const http = report.http;
  const httpDetail =
    http.status === null
      ? `no answer (${http.attempts} attempt(s))`
      : `HTTP ${http.status} in ${http.latencyMs} ms (${http.attempts} attempt(s))`;
  lines.push(`  ${mark(http.ok)}  route     ${httpDetail}`);
  for (const problem of http.problems) lines.push(`          ${problem}`);
  const log = report.log;
  const logDetail = log.found
    ? [
        `line found in ${log.logStreamName ?? 'the log'}`,
        log.foundAfterMs === null ? undefined : `found ${log.foundAfterMs} ms after it was written`,
        log.ingestionDelayMs === null ? undefined : `ingestion delay ${log.ingestionDelayMs} ms`,
        `${log.polls} poll(s)`,
      ]
        .filter((part) => part !== undefined)
        .join(', ')
    : !log.searched
      ? 'not searched'
      : `not found in ${report.logSource} (${log.polls} poll(s)${log.throttled > 0 ? `, throttled ${log.throttled}` : ''})`;
  const logMark = report.verdict === 'inconclusive' ? colours.fail('????') : mark(log.found);
  lines.push(`  ${logMark}  log line  ${logDetail}`);
  for (const problem of log.problems) lines.push(`          ${problem}`);
  lines.push(colours.dim(`  correlation id ${report.correlationId}`));
  if (report.contract !== undefined) lines.push(colours.dim(`  judged by ${report.contract}`));
  for (const hint of report.hints) lines.push(`  hint: ${hint}`);
  lines.push(
    report.verdict === 'verified'
      ? colours.pass(`PASS: verified in ${seconds(report.elapsedMs)}`)
      : report.verdict === 'failed'
        ? colours.fail(`FAIL: not verified (${seconds(report.elapsedMs)})`)
        : colours.fail(
            `INCONCLUSIVE: could not judge, ${report.http.throttled ? 'the route was throttled (HTTP 429) to the end' : 'the log service could not be searched'} (${seconds(report.elapsedMs)})`,
          ),
  );
  return `${lines.join('\n')}\n`;
}

/** The one `--json` object of a run that could not produce a report. */
export const errorReport = (exitCode: number, message: string) => ({
  ok: false,
  verdict: 'error' as const,
  error: { exitCode, message },
});

/** The first fact of `status`: the live deployment and the gate's verdict on it. */
function liveLine(live: StatusReport['live'], colours: Palette): string {
  if (live.verdict === null || live.verdict === 'unrecorded') {
    return colours.dim(`  live deployment   ${live.directory ?? '?'}: ${live.note ?? 'no record'}`);
  }
  const verdict =
    live.verdict === 'failed' || live.verdict === 'interrupted'
      ? colours.fail(live.verdict.toUpperCase())
      : live.verdict;
  return `  live deployment   ${live.directory} (commit ${(live.commit ?? 'unknown').slice(0, 12)}): ${verdict} by the gate`;
}

/** The human report of `smoke-gate status`. */
export function formatStatus(
  report: StatusReport,
  colours: Palette = palette(false),
  chart: { unicode: boolean; width: number } = { unicode: false, width: 80 },
): string {
  const lines = [
    `${PRODUCT} status: stage ${report.stage} (stack ${report.stack})`,
    liveLine(report.live, colours),
  ];
  const { shift } = report.live;
  if (shift !== undefined) {
    lines.push(
      colours.fail(
        `  SHIFT IN PROGRESS  version ${shift.to} at ${shift.percent}%, the rest on version ${shift.from} (finish: smoke-gate promote; undo: smoke-gate abort)`,
      ),
    );
  }
  for (const alarm of report.alarms) {
    const mark = alarm.state === 'OK' ? colours.pass('OK   ') : colours.fail(alarm.state.padEnd(5));
    const since = alarm.since === null ? '' : ` since ${alarm.since}`;
    lines.push(`  ${mark}  ${`${alarm.role} alarm`.padEnd(15)}  ${alarm.name}${since}`);
  }
  const window = Math.round((2 * report.heartbeat.staleAfterMs) / 60_000);
  const age = (label: string, line: LineAge, detail: string) => {
    const fresh = line.ageMs !== null && line.ageMs <= report.heartbeat.staleAfterMs;
    const text =
      line.timestamp === null || line.ageMs === null
        ? `none in the last ${window} min`
        : `${ago(line.ageMs)} (${line.timestamp}${detail})`;
    return `  ${fresh ? colours.pass('OK   ') : colours.fail('STALE')}  ${label.padEnd(15)}  ${text}`;
  };
  const { heartbeat, routeHeartbeat } = report;
  lines.push(age('last heartbeat', heartbeat, ''));
  lines.push(
    age(
      'through route',
      routeHeartbeat,
      routeHeartbeat.trigger === null ? '' : `, ${routeHeartbeat.trigger}`,
    ),
  );
  // The chart gets what is left of the line after its 21-character label and the total.
  const room = Math.max(chart.width - 36, 6);
  const total = (counts: number[]) => counts.reduce((sum, count) => sum + count, 0);
  const { history } = report;
  for (const [label, counts] of [
    [`lines/${history.hours} h`, history.lines],
    ['failures', history.failures],
  ] as const) {
    const drawn = sparkline(fitWidth(counts, room), { unicode: chart.unicode });
    lines.push(`  ${label.padEnd(19)}  |${drawn}|  ${total(counts)}`);
  }
  const { p50, p95, samples } = history.lagMs;
  lines.push(
    `  ${'ingestion lag'.padEnd(19)}  ${p50 === null ? 'no recent line' : `p50 ${p50} ms, p95 ${p95} ms (last ${samples} lines)`}`,
  );
  if (report.broken !== null) {
    lines.push(
      colours.fail(
        `  broken: the ${report.broken === 'route' ? 'route (API Gateway -> Lambda)' : 'function'}`,
      ),
    );
  }
  for (const hint of report.hints) lines.push(`  hint: ${hint}`);
  lines.push(report.ok ? colours.pass('HEALTHY') : colours.fail(report.status.toUpperCase()));
  return `${lines.join('\n')}\n`;
}

/** The human table of `smoke-gate history`: newest first, which is live, what a rollback restores. */
export function formatHistory(report: HistoryReport, colours: Palette = palette(false)): string {
  const lines = [
    `${PRODUCT} deployments: stage ${report.stage} (stack ${report.stack}), newest first`,
  ];
  if (report.deployments.length > 0) {
    const header = `  ${'deployed at'.padEnd(24)}  ${'commit'.padEnd(12)}  ${'version'.padEnd(8)}  ${'verdict'.padEnd(15)}  live, rollback target`;
    lines.push(colours.dim(header));
  }
  for (const entry of report.deployments) {
    const marks = [
      entry.live ? colours.pass('LIVE') : '',
      entry.rollbackTarget ? 'rollback target' : '',
      entry.functionVersion === null ? '' : `function version ${entry.functionVersion}`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  ${entry.timestamp}  ${(entry.commit ?? 'unknown').slice(0, 12).padEnd(12)}  ${(entry.version ?? '?').padEnd(8)}  ${entry.verdict.padEnd(15)}${marks === '' ? '' : `  ${marks}`}`,
    );
  }
  if (report.deployments.length === 0) lines.push('  (no deployment in the bucket)');
  const { traffic } = report;
  if (traffic !== null) {
    lines.push(
      `  traffic mode: live -> ${traffic.live === null ? 'no alias yet' : `version ${traffic.live}`}, candidate -> ${traffic.candidate === null ? 'none (no gate running)' : `version ${traffic.candidate}`}`,
    );
    if (traffic.shift !== null) {
      lines.push(
        colours.fail(
          `  shift in progress: version ${traffic.shift.to} at ${traffic.shift.percent}%, the rest on version ${traffic.shift.from} (finish: smoke-gate promote; undo: smoke-gate abort)`,
        ),
      );
    }
    if (traffic.note !== null) lines.push(colours.fail(`  ${traffic.note}`));
  }
  for (const line of report.ignored) lines.push(colours.dim(`  note: ${line}`));
  return `${lines.join('\n')}\n`;
}
