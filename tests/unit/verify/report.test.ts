import { describe, expect, it } from 'vitest';
import type { RollbackFacts } from '../../../lib/verify/deployment-history.ts';
import {
  errorReport,
  formatJUnit,
  formatReport,
  formatRollbackJUnit,
  palette,
} from '../../../lib/verify/report.ts';
import type { VerifyReport } from '../../../lib/verify/verify-deployment.ts';

const report: VerifyReport = {
  ok: false,
  verdict: 'failed',
  correlationId: 'smoke-1',
  url: 'https://h/health',
  logSource: 'CloudWatch Logs group /aws/lambda/x',
  http: { ok: true, status: 200, latencyMs: 87, attempts: 1, throttled: false, problems: [] },
  log: {
    found: false,
    searched: true,
    logStreamName: null,
    ingestionDelayMs: null,
    functionRequestId: null,
    polls: 12,
    throttled: 0,
    rejected: [],
    problems: ['no smoke-test line with correlation_id "smoke-1" & <friends>'],
  },
  elapsedMs: 6100,
  hints: ['Check the region'],
};

describe('formatReport and formatJUnit', () => {
  it('say PASS or FAIL per step and what to check', () => {
    const text = formatReport(report);
    expect(text).toMatch(/PASS {2}route {5}HTTP 200 in 87 ms/);
    expect(text).toMatch(
      /FAIL {2}log line {2}not found in CloudWatch Logs group \/aws\/lambda\/x \(12 poll/,
    );
    expect(text).toMatch(/hint: Check the region/);
    expect(text).toMatch(/FAIL: not verified \(6.1 s\)/);
  });

  it('use colour only when asked', () => {
    expect(formatReport(report, palette(true))).toContain('\u001b[31mFAIL\u001b[0m');
    expect(formatReport(report, palette(false))).not.toContain('\u001b[');
  });

  it('write JUnit XML with one testcase per step, escaped', () => {
    const xml = formatJUnit(report);
    expect(xml).toMatch(/<testsuites name="petsage-smoke" tests="2" failures="1"/);
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain('&amp; &lt;friends&gt;');
  });
});

describe('formatRollbackJUnit', () => {
  const rollback: RollbackFacts = {
    from: '1795435900000-2026-11-23T12:11:40.000Z',
    to: '1795435817943-2026-11-23T12:10:17.943Z',
    toVerifiedAt: '2026-11-23T12:10:30.000Z',
    restored: {
      ...report,
      ok: true,
      verdict: 'verified',
      log: { ...report.log, found: true, problems: [] },
      hints: [],
    },
    error: null,
  };

  it('holds the failed deployment, the rollback and the restored deployment in one suite', () => {
    // Act
    const xml = formatRollbackJUnit(report, rollback);
    // Assess
    expect(xml).toMatch(/tests="5" failures="1"/);
    expect(xml).toContain(`name="deployment ${rollback.from}: log line reaches`);
    expect(xml).toMatch(/<testcase [^>]*name="rollback to 1795435817943-[^"]*"[^>]*\/>/);
    expect(xml).toContain(`name="restored deployment ${rollback.to}: route answers`);
    expect(xml).toContain(`<property name="rolledBackTo" value="${rollback.to}"/>`);
  });

  it('fails the rollback case with its error when the rollback failed', () => {
    // Act
    const xml = formatRollbackJUnit(report, {
      ...rollback,
      restored: null,
      error: 'no template <x>',
    });
    // Assess
    expect(xml).toMatch(/tests="3" failures="2"/);
    expect(xml).toContain('<failure message="no template &lt;x&gt;">');
  });
});

describe('formatReport when the route was throttled', () => {
  it('says could not judge, and why', () => {
    // Prepare
    const throttled: VerifyReport = {
      ...report,
      verdict: 'inconclusive',
      http: { ok: false, status: 429, latencyMs: 3, attempts: 9, throttled: true, problems: [] },
    };
    // Act
    const text = formatReport(throttled);
    // Assess
    expect(text).toMatch(
      /INCONCLUSIVE: could not judge, the route was throttled \(HTTP 429\) to the end/,
    );
  });
});

describe('errorReport', () => {
  it('is the one JSON shape of a run that produced no report', () => {
    expect(errorReport(2, 'no credentials')).toStrictEqual({
      ok: false,
      verdict: 'error',
      error: { exitCode: 2, message: 'no credentials' },
    });
  });
});
