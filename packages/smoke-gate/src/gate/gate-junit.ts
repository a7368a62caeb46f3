import type { RollbackFacts } from '../deployments/deployment-history.ts';
import { formatJUnitSuite, junitCases } from '../report/junit.ts';
import type { VerifyReport } from '../verification/verify-deployment.ts';

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

/** JUnit when another deploy took over during the verification: the verdict plus why it does not count. */
export function formatSupersededJUnit(report: VerifyReport, note: string): string {
  const cases = [
    ...junitCases(report),
    {
      name: 'the judged deployment is still the live one',
      ok: false,
      problems: [note],
      timeSeconds: 0,
    },
  ];
  return formatJUnitSuite(`deploy ${report.url}`, cases, report.elapsedMs, {
    correlationId: report.correlationId,
    verdict: 'superseded',
  });
}
