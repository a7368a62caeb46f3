import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { FleetStatusReport } from '../../../../packages/smoke-gate/src/fleet/fleet-status.ts';
import {
  type FleetEntry,
  type FleetReport,
  fleetExitCode,
} from '../../../../packages/smoke-gate/src/fleet/run-fleet.ts';
import {
  fleetMarkdown,
  formatFleetReport,
  formatFleetStatus,
  markdownCell,
  summaryLine,
  verifyMarkdown,
} from '../../../../packages/smoke-gate/src/report/fleet-report.ts';
import { formatFleetJUnit } from '../../../../packages/smoke-gate/src/report/junit.ts';
import type { StatusReport } from '../../../../packages/smoke-gate/src/status/status.ts';
import type { VerifyReport } from '../../../../packages/smoke-gate/src/verification/verify-deployment.ts';
import { failedReport } from '../../../helpers/verify-report.ts';

/** A real-shaped verified report: the line found 2.4 s after it was written. */
const verified: VerifyReport = {
  ...failedReport,
  ok: true,
  verdict: 'verified',
  correlationId: 'smoke-2',
  log: {
    ...failedReport.log,
    found: true,
    logStreamName: '2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef',
    foundAfterMs: 2400,
    ingestionDelayMs: 900,
    problems: [],
  },
  hints: [],
};

const entry = (
  name: string,
  region: string,
  report: VerifyReport | null,
  error?: string,
): FleetEntry => ({
  name,
  region,
  verdict: report?.verdict ?? 'error',
  exitCode: report === null ? 2 : report.verdict === 'verified' ? 0 : 1,
  error: error ?? null,
  report,
});

const fleet: FleetReport = {
  ok: false,
  verdict: 'failed',
  summary: { targets: 3, verified: 1, failed: 1, couldNotJudge: 1 },
  targets: [
    entry('dev eu-west-1', 'eu-west-1', verified),
    entry('prod | eu `x`', 'eu-west-1', failedReport),
    entry(
      'prod us-east-1',
      'us-east-1',
      null,
      'stack petsage-smoke-test-prod does not exist in this region.',
    ),
  ],
  logCalls: [{ region: 'eu-west-1', calls: 14, peakPerSecond: 2, budgetPerSecond: 2 }],
  elapsedMs: 7_300,
};

describe('formatFleetReport', () => {
  it('prints one row per target, why each one did not pass, the budget and the summary line', () => {
    // Act
    const lines = formatFleetReport(fleet).trimEnd().split('\n');
    // Assess
    expect(lines[0]).toBe('Smoke gate: 3 target(s) in 2 region(s)');
    expect(lines[1]).toMatch(/^ {2}target +region +route +line found after +verdict$/);
    expect(lines[2]).toMatch(/^ {2}dev eu-west-1 +eu-west-1 +200 in 87 ms +2\.4 s +verified$/);
    expect(lines[3]).toMatch(/^ {2}prod \| eu `x` +eu-west-1 +200 in 87 ms +- +FAILED$/);
    expect(lines[4]).toMatch(/^ {2}prod us-east-1 +us-east-1 +- +- +could not judge$/);
    expect(lines).toContain(
      '  prod us-east-1: stack petsage-smoke-test-prod does not exist in this region.',
    );
    expect(lines).toContain(
      '  CloudWatch Logs eu-west-1: 14 call(s), at most 2 in any second (budget 2)',
    );
    expect(lines.at(-1)).toBe('FAIL: 3 target(s): 1 verified, 1 failed, 1 could not judge (7.3 s)');
  });
});

describe('summaryLine', () => {
  it('counts as the issue asks', () => {
    expect(summaryLine({ targets: 40, verified: 38, failed: 1, couldNotJudge: 1 })).toBe(
      '38 verified, 1 failed, 1 could not judge',
    );
  });
});

describe('fleetExitCode', () => {
  it.each([
    [[0, 0, 0], 0],
    [[0, 2, 0], 2],
    [[2, 1, 0], 1],
    [[1, 1], 1],
  ])('exits 1 if any failed, else 2 if any could not be judged (%j -> %i)', (codes, expected) => {
    expect(fleetExitCode(codes.map((exitCode) => ({ exitCode })))).toBe(expected);
  });
});

describe('fleetMarkdown', () => {
  it('is a heading with the summary and one table row per target', () => {
    // Act
    const lines = fleetMarkdown(fleet).trimEnd().split('\n');
    // Assess
    expect(lines[0]).toBe('### Smoke gate: 1 verified, 1 failed, 1 could not judge');
    expect(lines[2]).toBe('| Target | Region | Route | Line found after | Verdict |');
    const rows = lines.slice(4);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toBe('| dev eu-west-1 | eu-west-1 | 200 in 87 ms | 2.4 s | ✅ verified |');
    // A pipe or backtick in a name cannot break the table or start code.
    expect(rows[1]).toMatch(/^\| prod \\\| eu \\`x\\` \| eu-west-1 \|/);
    expect(rows[1]?.split(/(?<!\\)\|/)).toHaveLength(7);
    expect(rows[2]).toContain('⚠️ could not judge: stack petsage-smoke-test-prod does not exist');
  });

  it('writes one row for one verification', () => {
    const one = { name: 'dev', region: 'eu-west-1', report: failedReport };
    const lines = verifyMarkdown(one).trimEnd().split('\n');
    expect(lines[0]).toBe('### Smoke gate: 0 verified, 1 failed, 0 could not judge');
    expect(lines.slice(4)).toHaveLength(1);
    expect(lines[4]).toMatch(
      /^\| dev \| eu-west-1 \| 200 in 87 ms \| - \| ❌ FAILED: no smoke-test line/,
    );
  });
});

describe('markdownCell', () => {
  it('escapes markup, HTML and control characters into one line', () => {
    expect(markdownCell('a|b `c` <img src=x> *d*\n[e](f)')).toBe(
      'a\\|b \\`c\\` &lt;img src=x&gt; \\*d\\*\\\\u{a}\\[e\\](f)',
    );
  });
});

/** GitHub's Markdown renderer (cmark-gfm, with its table and autolink extensions). */
const renderGfm = (markdown: string): string =>
  createRequire(import.meta.url)('cmark-gfm').renderHtmlSync(markdown, {
    extensions: { table: true, autolink: true },
  });

describe('the job summary rendered as GitHub renders it (cmark-gfm)', () => {
  it('makes no link and no mention of a value from a route body or a targets file', () => {
    // Prepare: a route body's field and a targets file's name, each carrying links and a mention
    const hostile = 'log in at https://evil.example/login, www.evil.example or ops@evil.example';
    const report: VerifyReport = {
      ...failedReport,
      http: { ...failedReport.http, problems: [`body field "status" is ${hostile}`] },
    };
    const markdown = fleetMarkdown({
      ...fleet,
      targets: [entry('@org/team mailto:ops@evil.example', 'eu-west-1', report)],
    });
    // Act
    const html = renderGfm(markdown);
    // Assess
    expect(html).toContain('<table>');
    expect(html).toContain('https://evil.example/login');
    expect(html).not.toMatch(/<a\b/);
    expect(html).not.toMatch(/@(?!\u200b)/);
  });

  it('would link the same text left raw (the renderer makes links)', () => {
    expect(renderGfm('| a |\n| --- |\n| https://evil.example/login |')).toMatch(
      /<a href="https:\/\/evil\.example\/login">/,
    );
  });
});

describe('formatFleetJUnit', () => {
  it('writes one testsuite per target, named by the target', () => {
    // Act
    const xml = formatFleetJUnit(fleet);
    // Assess
    const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)];
    expect(suites.map((m) => [m[1], m[2], m[3]])).toStrictEqual([
      ['verify dev eu-west-1 (eu-west-1)', '2', '0'],
      ['verify prod | eu `x` (eu-west-1)', '2', '1'],
      ['verify prod us-east-1 (us-east-1)', '1', '1'],
    ]);
    expect(xml).toMatch(/<testsuites name="smoke-gate" tests="5" failures="2" time="7.300">/);
  });
});

describe('formatFleetStatus', () => {
  it('prints one row per target with alarm states and heartbeat ages, and why each is not healthy', () => {
    // Prepare
    const stageStatus = (
      state: string,
      ageMs: number,
      shift?: { from: string; to: string; percent: number },
    ): StatusReport => ({
      ok: state === 'OK',
      status: state === 'OK' ? 'healthy' : 'alarming',
      stage: 'dev',
      live: {
        directory: null,
        commit: null,
        verdict: null,
        note: 'not read',
        ...(shift === undefined ? {} : { shift }),
      },
      stack: 'petsage-smoke-test-dev',
      alarms: [
        { role: 'heartbeat', name: 'hb', state: 'OK', since: null, reason: null },
        { role: 'route', name: 'rt', state: 'OK', since: null, reason: null },
        { role: 'failure', name: 'fl', state, since: null, reason: 'Threshold Crossed' },
      ],
      heartbeat: { found: true, timestamp: null, ageMs, staleAfterMs: 900_000 },
      routeHeartbeat: { found: true, timestamp: null, ageMs: 30_000, trigger: 'route-heartbeat' },
      broken: null,
      history: { hours: 24, lines: [], failures: [], lagMs: { p50: null, p95: null, samples: 0 } },
      elapsedMs: 900,
      hints: state === 'OK' ? [] : ['alarm fl: Threshold Crossed'],
    });
    const report: FleetStatusReport = {
      ok: false,
      summary: { targets: 3, healthy: 1, unhealthy: 1, couldNotJudge: 1 },
      targets: [
        {
          name: 'dev eu-west-1',
          region: 'eu-west-1',
          status: 'healthy',
          exitCode: 0,
          error: null,
          report: stageStatus('OK', 45_000),
        },
        {
          name: 'prod eu-west-1',
          region: 'eu-west-1',
          status: 'alarming',
          exitCode: 1,
          error: null,
          report: stageStatus('ALARM', 600_000, { from: '4', to: '5', percent: 10 }),
        },
        {
          name: 'qa us-east-1',
          region: 'us-east-1',
          status: 'error',
          exitCode: 2,
          error: 'stack petsage-smoke-test-qa does not exist in this region.',
          report: null,
        },
      ],
      logCalls: [],
      elapsedMs: 2_100,
    };
    // Act
    const lines = formatFleetStatus(report).trimEnd().split('\n');
    // Assess
    expect(lines[0]).toBe('Smoke gate status: 3 target(s) in 2 region(s)');
    expect(lines[2]).toMatch(
      /^ {2}dev eu-west-1 +eu-west-1 +healthy +heartbeat OK, route OK, failure OK +45 s ago +30 s ago +-$/,
    );
    expect(lines[3]).toMatch(
      /^ {2}prod eu-west-1 +eu-west-1 +alarming +heartbeat OK, route OK, failure ALARM +10 min ago +30 s ago +5 at 10% \(4\)$/,
    );
    expect(lines[4]).toMatch(/^ {2}qa us-east-1 +us-east-1 +could not read +- +- +- +-$/);
    expect(lines).toContain('  prod eu-west-1: alarm fl: Threshold Crossed');
    expect(lines).toContain(
      '  qa us-east-1: stack petsage-smoke-test-qa does not exist in this region.',
    );
    expect(lines.at(-1)).toBe(
      'NOT OK: 3 target(s): 1 healthy, 1 alarming or stale, 1 could not be read (2.1 s)',
    );
  });
});
