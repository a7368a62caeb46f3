import { describe, expect, it } from 'vitest';
import { interruptedFirstLine } from '../../../../packages/smoke-gate/src/plugin/gate-interrupt.ts';

const SIGINT = { signal: 'SIGINT', exitCode: 130 } as const;
const OWN = {
  directory: '1764680000000-2025-12-02T13:33:20.000Z',
  commit: 'abc123',
  version: null,
};

describe('interruptedFirstLine: what an interrupted gate says is live', () => {
  it('names the new deployment as live and not verified while the gate verifies it', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy',
      { current: { step: 'verifying' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toBe(
      `Smoke test interrupted by SIGINT: the new deployment ${OWN.directory} of stack orders-prod is live and NOT verified.`,
    );
  });

  it('says a started rollback is finished by CloudFormation on its own', () => {
    // Act
    const line = interruptedFirstLine(
      { signal: 'SIGTERM', exitCode: 143 },
      'deploy',
      { current: { step: 'rolling-back', to: 'earlier' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toMatch(
      /^Smoke test interrupted by SIGTERM: a rollback of stack orders-prod to deployment earlier was started; CloudFormation finishes it on its own/,
    );
  });

  it('says the restored deployment is live and not verified again', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy',
      { current: { step: 'verifying-restored', to: 'earlier' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toContain(
      'rolled back to deployment earlier, which is live and NOT verified again',
    );
  });

  it('says serverless smoke changed nothing', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'command',
      { current: { step: 'verifying' }, own: undefined },
      'orders-prod',
    );
    // Assess
    expect(line).toContain('stack orders-prod runs what it ran; this verification changed nothing');
  });

  it('names the function’s new code after a code-only deploy', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy-function',
      { current: { step: 'verifying' }, own: undefined },
      'orders-prod',
    );
    // Assess
    expect(line).toContain("the function's new code of stack orders-prod is live and NOT verified");
  });
});
