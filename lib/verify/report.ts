import type { RollbackFacts } from './deployment-history.ts';
import type { StatusReport } from './status.ts';
import type { VerifyReport } from './verify-deployment.ts';

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

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The human report: one PASS/FAIL line per step, then what to check on failure. */
export function formatReport(report: VerifyReport, colours: Palette = palette(false)): string {
  const mark = (ok: boolean) => (ok ? colours.pass('PASS') : colours.fail('FAIL'));
  const lines = [`PetSage smoke test: ${report.url}`];
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

/** Escapes text for XML 1.0 and drops what XML 1.0 cannot carry at all. */
export const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '',
    );

/** A JUnit testcase. */
export interface JUnitCase {
  name: string;
  ok: boolean;
  problems: string[];
  timeSeconds: number;
}

/** JUnit XML for CI dashboards: one suite, one testcase per step. */
export function formatJUnitSuite(
  suiteName: string,
  cases: JUnitCase[],
  elapsedMs: number,
  properties: Record<string, string> = {},
): string {
  const failures = cases.filter((c) => !c.ok).length;
  const time = (elapsedMs / 1000).toFixed(3);
  const body = cases
    .map((c) => {
      const open = `    <testcase classname="petsage-smoke.verify" name="${xml(c.name)}" time="${c.timeSeconds.toFixed(3)}"`;
      if (c.ok) return `${open}/>`;
      const message = xml(c.problems[0] ?? 'failed');
      return `${open}>\n      <failure message="${message}">${xml(c.problems.join('\n'))}</failure>\n    </testcase>`;
    })
    .join('\n');
  const props = Object.entries(properties)
    .map(([name, value]) => `<property name="${xml(name)}" value="${xml(value)}"/>`)
    .join('');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="petsage-smoke" tests="${cases.length}" failures="${failures}" time="${time}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}" time="${time}">`,
    `    <properties>${props}</properties>`,
    body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The JUnit cases of one verification: the route, then the log line. */
export function junitCases(report: VerifyReport, prefix = ''): JUnitCase[] {
  return [
    {
      name: `${prefix}route answers the smoke-test contract`,
      ok: report.http.ok,
      problems: report.http.problems,
      timeSeconds: (report.http.latencyMs ?? 0) / 1000,
    },
    {
      name: `${prefix}log line reaches ${report.logSource}`,
      ok: report.log.found,
      problems: [...report.log.problems, ...report.hints],
      timeSeconds: 0,
    },
  ];
}

/** JUnit XML with one testcase per step. */
export function formatJUnit(report: VerifyReport): string {
  return formatJUnitSuite(`verify ${report.url}`, junitCases(report), report.elapsedMs, {
    correlationId: report.correlationId,
    verdict: report.verdict,
  });
}

/** JUnit XML for a run that could not verify: one failing testcase saying why. */
export function formatJUnitError(message: string): string {
  return formatJUnitSuite(
    'verify',
    [{ name: 'verification runs', ok: false, problems: [message], timeSeconds: 0 }],
    0,
  );
}

/** JUnit with both verdicts: the failed deployment, the rollback, and the restored one. */
export function formatRollbackJUnit(failed: VerifyReport, rollback: RollbackFacts): string {
  const cases = [
    ...junitCases(failed, `deployment ${rollback.from ?? '(unknown)'}: `),
    {
      name: `rollback to ${rollback.to} (verified ${rollback.toVerifiedAt})`,
      ok: rollback.error === null,
      problems: rollback.error === null ? [] : [rollback.error],
      timeSeconds: 0,
    },
    ...(rollback.restored === null
      ? []
      : junitCases(rollback.restored, `restored deployment ${rollback.to}: `)),
  ];
  return formatJUnitSuite(
    `deploy ${failed.url}`,
    cases,
    failed.elapsedMs + (rollback.restored?.elapsedMs ?? 0),
    { correlationId: failed.correlationId, verdict: failed.verdict, rolledBackTo: rollback.to },
  );
}

/** The one `--json` object of a run that could not produce a report. */
export const errorReport = (exitCode: number, message: string) => ({
  ok: false,
  verdict: 'error' as const,
  error: { exitCode, message },
});

const ago = (ms: number) =>
  ms < 120_000 ? `${Math.round(ms / 1000)} s ago` : `${Math.round(ms / 60_000)} min ago`;

/** The human report of `petsage-smoke status`. */
export function formatStatus(report: StatusReport, colours: Palette = palette(false)): string {
  const lines = [`PetSage smoke status: stage ${report.stage} (stack ${report.stack})`];
  for (const alarm of report.alarms) {
    const mark = alarm.state === 'OK' ? colours.pass('OK   ') : colours.fail(alarm.state.padEnd(5));
    const since = alarm.since === null ? '' : ` since ${alarm.since}`;
    lines.push(`  ${mark}  ${alarm.role} alarm  ${alarm.name}${since}`);
  }
  const beat = report.heartbeat;
  const fresh = beat.ageMs !== null && beat.ageMs <= beat.staleAfterMs;
  lines.push(
    `  ${fresh ? colours.pass('OK   ') : colours.fail('STALE')}  last heartbeat   ${
      beat.timestamp === null || beat.ageMs === null
        ? `none in the last ${Math.round((2 * beat.staleAfterMs) / 60_000)} min`
        : `${ago(beat.ageMs)} (${beat.timestamp}${beat.rule === null ? '' : `, rule ${beat.rule}`})`
    }`,
  );
  for (const hint of report.hints) lines.push(`  hint: ${hint}`);
  lines.push(
    report.ok
      ? colours.pass('HEALTHY')
      : colours.fail(report.status === 'alarming' ? 'ALARMING' : 'STALE'),
  );
  return `${lines.join('\n')}\n`;
}
