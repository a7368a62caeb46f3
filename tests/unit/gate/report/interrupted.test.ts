import { describe, expect, it } from 'vitest';
import {
  interruptedBlock,
  interruptedReport,
} from '../../../../packages/smoke-gate/src/report/interrupted.ts';

describe('interruptedBlock', () => {
  it('puts the first line, then each next step with its command aligned', () => {
    // Act
    const block = interruptedBlock('Smoke test interrupted by SIGINT: live and NOT verified.', [
      { what: 'verify it now', command: 'serverless smoke --stage dev' },
      { what: 'see the deployments', command: 'npx petsage-smoke history --stage dev' },
    ]);
    // Assess
    expect(block.split('\n')).toStrictEqual([
      'Smoke test interrupted by SIGINT: live and NOT verified.',
      '  verify it now:       serverless smoke --stage dev',
      '  see the deployments: npx petsage-smoke history --stage dev',
      '',
    ]);
  });
});

describe('interruptedReport', () => {
  it('is the JSON a pipeline reads: not ok, verdict interrupted, the signal and its exit code', () => {
    expect(interruptedReport({ signal: 'SIGTERM', exitCode: 143 }, 'stopped')).toStrictEqual({
      ok: false,
      verdict: 'interrupted',
      signal: 'SIGTERM',
      error: { exitCode: 143, message: 'stopped' },
    });
  });
});
