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
    : `not found in ${report.logSource} (${log.polls} poll(s))`;
  lines.push(`  ${mark(log.found)}  log line  ${logDetail}`);
  for (const problem of log.problems) lines.push(`          ${problem}`);
  lines.push(colours.dim(`  correlation id ${report.correlationId}`));
  for (const hint of report.hints) lines.push(`  hint: ${hint}`);
  lines.push(
    report.ok
      ? colours.pass(`PASS: verified in ${seconds(report.elapsedMs)}`)
      : colours.fail(`FAIL: not verified (${seconds(report.elapsedMs)})`),
  );
  return `${lines.join('\n')}\n`;
}

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 cannot carry control characters other than tab, LF and CR at all.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML with one testcase per step, for CI dashboards. */
export function formatJUnit(report: VerifyReport): string {
  const cases = [
    {
      name: 'route answers the smoke-test contract',
      ok: report.http.ok,
      problems: report.http.problems,
      time: (report.http.latencyMs ?? 0) / 1000,
    },
    {
      name: `log line reaches ${report.logSource}`,
      ok: report.log.found,
      problems: [...report.log.problems, ...report.hints],
      time: 0,
    },
  ];
  const failures = cases.filter((c) => !c.ok).length;
  const body = cases
    .map((c) => {
      const open = `    <testcase classname="petsage-smoke.verify" name="${xml(c.name)}" time="${c.time.toFixed(3)}"`;
      if (c.ok) return `${open}/>`;
      const message = xml(c.problems[0] ?? 'failed');
      return `${open}>\n      <failure message="${message}">${xml(c.problems.join('\n'))}</failure>\n    </testcase>`;
    })
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="petsage-smoke" tests="2" failures="${failures}" time="${(report.elapsedMs / 1000).toFixed(3)}">`,
    `  <testsuite name="verify ${xml(report.url)}" tests="2" failures="${failures}" time="${(report.elapsedMs / 1000).toFixed(3)}">`,
    `    <properties><property name="correlationId" value="${xml(report.correlationId)}"/></properties>`,
    body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
