import { PRODUCT } from '../core/product.ts';
import { safeText } from '../core/safe-text.ts';
import { EXIT_COULD_NOT_JUDGE, exitCodeOf, VERDICTS, type Verdict } from '../core/verdicts.ts';
import type { FleetStatusEntry, FleetStatusReport } from '../fleet/fleet-status.ts';
import type { FleetEntry, FleetReport } from '../fleet/run-fleet.ts';
import type { VerifyReport } from '../verification/verify-deployment.ts';
import { ago, seconds } from './durations.ts';
import type { Palette } from './report.ts';
import { palette } from './report.ts';

/** What the route did, in a few words: `200 in 41 ms`, `no answer`. */
const routeCell = (report: VerifyReport | null): string =>
  report === null
    ? '-'
    : report.http.status === null
      ? 'no answer'
      : `${report.http.status} in ${report.http.latencyMs} ms`;

const lineCell = (report: VerifyReport | null): string =>
  report?.log.foundAfterMs == null ? '-' : seconds(report.log.foundAfterMs);

const VERDICT_WORDS: Record<Verdict | 'error', string> = {
  verified: VERDICTS.verified.words,
  failed: VERDICTS.failed.words,
  inconclusive: VERDICTS.inconclusive.words,
  error: VERDICTS.inconclusive.words,
  interrupted: VERDICTS.interrupted.words,
};

/** Why a target did not pass, in one line: its error, or its first problem. */
const whyOf = (entry: FleetEntry): string | undefined => {
  if (entry.verdict === 'verified') return undefined;
  if (entry.error !== null) return entry.error;
  const report = entry.report;
  return [...(report?.http.problems ?? []), ...(report?.log.problems ?? [])][0];
};

/** `38 verified, 1 failed, 1 could not judge`. */
export const summaryLine = (summary: FleetReport['summary']): string =>
  `${summary.verified} verified, ${summary.failed} failed, ${summary.couldNotJudge} could not judge${summary.interrupted === undefined ? '' : `, ${summary.interrupted} interrupted`}`;

/** A run over more than one account shows each target's account beside its region. */
const manyAccounts = (entries: { account?: string | null }[]): boolean =>
  new Set(entries.map((entry) => entry.account).filter((a) => typeof a === 'string')).size > 1;

/** The target's first cells: its name, its account (in a run over many accounts), its region. */
const whereCells = (
  entry: { name: string; region: string | null; account?: string | null },
  withAccount: boolean,
) => [
  safeText(entry.name, 40),
  ...(withAccount ? [safeText(entry.account ?? '?', 20)] : []),
  safeText(entry.region ?? '(default)', 40),
];

/** The rows of the table, as plain cells. */
const rowsOf = (report: FleetReport) =>
  report.targets.map((entry) => [
    ...whereCells(entry, manyAccounts(report.targets)),
    routeCell(entry.report),
    lineCell(entry.report),
    VERDICT_WORDS[entry.verdict],
  ]);

/** The columns a target's place takes: target, (account,) region. */
const whereHeader = (withAccount: boolean) =>
  withAccount ? ['target', 'account', 'region'] : ['target', 'region'];

const headerOf = (report: FleetReport) => [
  ...whereHeader(manyAccounts(report.targets)),
  'route',
  'line found after',
  'verdict',
];

/** A plain-text table: the header dimmed, each row red unless `good`. */
function table(header: string[], rows: { cells: string[]; good: boolean }[], colours: Palette) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row.cells[column] ?? '').length)),
  );
  const pad = (cells: string[]) =>
    `  ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd();
  return [
    colours.dim(pad(header)),
    ...rows.map((row) => (row.good ? pad(row.cells) : colours.fail(pad(row.cells)))),
  ];
}

const regionCount = (entries: { region: string | null }[]) =>
  new Set(entries.map((entry) => entry.region)).size;

/** The human report of a run over many targets: one table row each, why each one did not pass, the summary. */
export function formatFleetReport(report: FleetReport, colours: Palette = palette(false)): string {
  const rows = rowsOf(report).map((cells, index) => ({
    cells,
    good: report.targets[index]?.verdict === 'verified',
  }));
  const lines = [
    `${PRODUCT}: ${report.targets.length} target(s) in ${regionCount(report.targets)} region(s)`,
    ...table(headerOf(report), rows, colours),
  ];
  const failures = report.targets.filter((entry) => entry.verdict !== 'verified');
  for (const entry of failures) {
    lines.push(`  ${safeText(entry.name, 40)}: ${whyOf(entry) ?? VERDICT_WORDS[entry.verdict]}`);
  }
  for (const calls of report.logCalls) {
    lines.push(
      colours.dim(
        `  CloudWatch Logs ${safeText(calls.region, 40)}: ${calls.calls} call(s), at most ${calls.peakPerSecond} in any second (budget ${calls.budgetPerSecond})`,
      ),
    );
  }
  const summary = `${report.targets.length} target(s): ${summaryLine(report.summary)} (${seconds(report.elapsedMs)})`;
  lines.push(report.ok ? colours.pass(`PASS: ${summary}`) : colours.fail(`FAIL: ${summary}`));
  return `${lines.join('\n')}\n`;
}

/**
 * A cell of a GitHub Markdown table: one line, no markup, no table breaks, and no link or mention
 * made of a value from outside: the `:` of `://`, `mailto:` and `xmpp:` and the `.` of `www.` are
 * written as entities (GFM's autolinks need them raw), and `@` is followed by a zero-width space (GitHub's mentions and e-mail links need a name
 * right after it).
 */
export const markdownCell = (value: string, maxChars = 120): string =>
  safeText(value, maxChars)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#!~])/g, '\\$1')
    .replace(/:(?=\/)|(?<=\b(?:mailto|xmpp)):/gi, '&#58;')
    .replace(/(www)\./gi, '$1&#46;')
    .replace(/@/g, '@&#8203;');

const MARK = {
  verified: '✅',
  failed: '❌',
  inconclusive: '⚠️',
  error: '⚠️',
  interrupted: '⏹️',
} as const;

/** The job summary of a run over many targets: a heading with the summary, then one row each. */
export function fleetMarkdown(report: FleetReport): string {
  const cellsOf = rowsOf(report);
  const rows = report.targets.map((entry, index) => {
    const cells = cellsOf[index] ?? [];
    const why = whyOf(entry);
    const last = cells.length - 1;
    const verdict = `${MARK[entry.verdict]} ${cells[last]}${why === undefined ? '' : `: ${why}`}`;
    return `| ${[...cells.slice(0, last), verdict].map((cell) => markdownCell(cell)).join(' | ')} |`;
  });
  const header = headerOf(report).map((title) => title[0]?.toUpperCase() + title.slice(1));
  return [
    `### ${PRODUCT}: ${summaryLine(report.summary)}`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows,
    '',
    '',
  ].join('\n');
}

/** The job summary of one verification (or of why it could not run): the same table, one row. */
export function verifyMarkdown(one: {
  name: string;
  region: string | undefined;
  report: VerifyReport | undefined;
  error?: string | undefined;
  /** A line under the table: what the gate did about the verdict (a rollback, a takeover). */
  note?: string | undefined;
}): string {
  const report = one.report ?? null;
  const verdict = report?.verdict ?? 'error';
  const entry: FleetEntry = {
    name: one.name,
    region: one.region ?? null,
    verdict,
    exitCode: report === null ? EXIT_COULD_NOT_JUDGE : exitCodeOf(report.verdict),
    error: report === null ? (one.error ?? 'verification did not run') : null,
    report,
  };
  const count = (v: FleetEntry['verdict']) => (verdict === v ? 1 : 0);
  const table = fleetMarkdown({
    ok: verdict === 'verified',
    verdict: report?.verdict ?? 'inconclusive',
    summary: {
      targets: 1,
      verified: count('verified'),
      failed: count('failed'),
      couldNotJudge: count('inconclusive') + count('error'),
    },
    targets: [entry],
    logCalls: [],
    elapsedMs: report?.elapsedMs ?? 0,
  });
  return one.note === undefined
    ? table
    : `${table.trimEnd()}\n\n${markdownCell(one.note, 400)}\n\n`;
}

const STATUS_COLUMNS = ['status', 'alarms', 'heartbeat', 'route heartbeat', 'shift'];

/** The traffic mode's shift in progress on a stage: `5 at 10% (4)`, else `-`. */
const shiftCell = (entry: FleetStatusEntry) => {
  const shift = entry.report?.live.shift;
  return shift === undefined ? '-' : `${shift.to} at ${shift.percent}% (${shift.from})`;
};

const age = (ms: number | null) => (ms === null ? 'none' : ago(ms));

/** `heartbeat OK, route ALARM, failure OK`, shortened. */
const alarmsCell = (entry: FleetStatusEntry) =>
  entry.report === null
    ? '-'
    : entry.report.alarms.map((alarm) => `${alarm.role} ${alarm.state}`).join(', ');

/** The human report of `status` over many targets: one row each, why each one is not healthy. */
export function formatFleetStatus(
  report: FleetStatusReport,
  colours: Palette = palette(false),
): string {
  const withAccount = manyAccounts(report.targets);
  const rows = report.targets.map((entry) => ({
    cells: [
      ...whereCells(entry, withAccount),
      entry.status === 'error' ? 'could not read' : entry.status,
      alarmsCell(entry),
      entry.report === null ? '-' : age(entry.report.heartbeat.ageMs),
      entry.report === null ? '-' : age(entry.report.routeHeartbeat.ageMs),
      shiftCell(entry),
    ],
    good: entry.status === 'healthy',
  }));
  const lines = [
    `${PRODUCT} status: ${report.targets.length} target(s) in ${regionCount(report.targets)} region(s)`,
    ...table([...whereHeader(withAccount), ...STATUS_COLUMNS], rows, colours),
  ];
  for (const entry of report.targets) {
    const why = entry.error ?? entry.report?.hints[0];
    if (entry.status !== 'healthy' && why !== undefined)
      lines.push(`  ${safeText(entry.name, 40)}: ${why}`);
  }
  const { summary } = report;
  const text = `${summary.targets} target(s): ${summary.healthy} healthy, ${summary.unhealthy} alarming or stale, ${summary.couldNotJudge} could not be read (${seconds(report.elapsedMs)})`;
  lines.push(report.ok ? colours.pass(`OK: ${text}`) : colours.fail(`NOT OK: ${text}`));
  return `${lines.join('\n')}\n`;
}
