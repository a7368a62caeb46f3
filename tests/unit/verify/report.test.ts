import { describe, expect, it } from 'vitest';
import { errorReport, formatReport, palette } from '../../../lib/verify/report.ts';
import type { VerifyReport } from '../../../lib/verify/verify-deployment.ts';
import { failedReport as report } from '../../helpers/verify-report.ts';

describe('formatReport', () => {
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
