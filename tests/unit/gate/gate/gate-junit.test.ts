import { describe, expect, it } from 'vitest';
import type { RollbackFacts } from '../../../../packages/smoke-gate/src/deployments/deployment-history.ts';
import {
  formatRollbackJUnit,
  formatSupersededJUnit,
} from '../../../../packages/smoke-gate/src/gate/gate-junit.ts';
import { failedReport as report } from '../../../helpers/verify-report.ts';

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

describe('formatSupersededJUnit', () => {
  it('fails the run with the reason another deploy took over', () => {
    // Act
    const xml = formatSupersededJUnit(report, 'could not judge: another deploy took over <x>');
    // Assess
    expect(xml).toMatch(/tests="3" failures="2"/);
    expect(xml).toContain('<property name="verdict" value="superseded"/>');
    expect(xml).toContain('another deploy took over &lt;x&gt;');
  });
});
