import { describe, expect, it } from 'vitest';
import { formatJUnit } from '../../../../packages/smoke-gate/src/verification/junit.ts';
import { failedReport as report } from '../../../helpers/verify-report.ts';

describe('formatJUnit', () => {
  it('times the log step by how long the search waited, and carries the lag when known', () => {
    // Act
    const xml = formatJUnit({
      ...report,
      log: {
        ...report.log,
        found: true,
        foundAfterMs: 14_600,
        ingestionDelayMs: 900,
        waitedMs: 14_612,
      },
    });
    // Assess
    expect(xml).toMatch(/name="log line reaches [^"]+" time="14\.612"/);
    expect(xml).toContain('<property name="foundAfterMs" value="14600"/>');
    expect(xml).toContain('<property name="ingestionDelayMs" value="900"/>');
  });

  it('writes JUnit XML with one testcase per step, escaped', () => {
    const xml = formatJUnit(report);
    expect(xml).toMatch(/<testsuites name="petsage-smoke" tests="2" failures="1"/);
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain('&amp; &lt;friends&gt;');
  });
});
