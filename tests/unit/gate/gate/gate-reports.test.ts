import { describe, expect, it } from 'vitest';
import { failureLine, gateNote } from '../../../../packages/smoke-gate/src/gate/gate-reports.ts';
import { failedReport } from '../../../helpers/verify-report.ts';

const verified = { ...failedReport, verdict: 'verified' as const };

describe('failureLine: the framework’s one line when the command fails', () => {
  it('names the failed route and its correlation id', () => {
    expect(failureLine({ exitCode: 1, report: failedReport }, {})).toBe(
      `Smoke test failed for ${failedReport.url} (correlation id ${failedReport.correlationId}); see the report above`,
    );
  });

  it('says why it could not run when there is no report', () => {
    expect(failureLine({ exitCode: 2, error: 'no stack' }, {})).toBe(
      'Smoke test could not run: no stack',
    );
  });

  it('says a deploy that passed and could not be recorded passed, and why it still fails', () => {
    // Act
    const line = failureLine(
      { exitCode: 0, report: verified },
      {
        verdictNote: 'deployment history unavailable (the pin): nothing recorded, no rollback.',
        exitCode: 2,
      },
    );
    // Assess
    expect(line).toBe(
      `Smoke test passed for ${verified.url}, but deployment history unavailable (the pin): nothing recorded, no rollback.`,
    );
  });

  it('says what the gate saw when another deploy took over', () => {
    const own = { directory: 'd', commit: null, version: null };
    expect(
      failureLine(
        { exitCode: 0, report: verified },
        {
          verdictNote: 'could not judge: another deploy took over.',
          superseded: { own, live: null },
        },
      ),
    ).toBe('Smoke test could not judge: another deploy took over.');
  });
});

describe('gateNote', () => {
  it('is the verdict note when there was no rollback', () => {
    expect(gateNote({ verdictNote: 'No rollback: off' })).toBe('No rollback: off');
  });
});
