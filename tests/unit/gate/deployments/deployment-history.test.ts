import { describe, expect, it } from 'vitest';
import {
  type Deployment,
  decideRollback,
  deploymentOfKey,
  type RollbackDecision,
} from '../../../../packages/smoke-gate/src/deployments/deployment-history.ts';
import type { Verdict } from '../../../../packages/smoke-gate/src/verification/verify-deployment.ts';

const d = (n: number, verifiedAt: string | null = null): Deployment => ({
  directory: `179543${n}000000-2026-11-23T12:0${n}:00.000Z`,
  timestamp: Number(`179543${n}000000`),
  record: null,
  untrusted: null,
  verifiedAt,
});

const identity = (deployment: Deployment) => ({
  directory: deployment.directory,
  commit: null,
  version: null,
});

const v1 = d(1, '2026-11-23T12:01:05.000Z');
const v2 = d(2);
const v3 = d(3);

const decide = (
  exitCode: number,
  verdict: Verdict | undefined,
  live: Deployment,
  deployments: Deployment[],
  enabled = true,
): RollbackDecision =>
  decideRollback({
    exitCode,
    verdict,
    enabled,
    disabledBy: enabled ? undefined : '--skip-rollback',
    history: { live: identity(live), deployments, ignored: [] },
  });

describe('decideRollback (verdict x history -> action)', () => {
  it('records a verified deployment', () => {
    expect(decide(0, 'verified', v2, [v2, v1])).toStrictEqual({
      action: 'record',
      deployment: v2.directory,
    });
  });

  it('rolls a definitive FAIL back to the last verified deployment', () => {
    expect(decide(1, 'failed', v2, [v2, v1])).toStrictEqual({
      action: 'rollback',
      from: v2.directory,
      to: v1,
    });
  });

  it('returns to the last good one, not the previous one, after two failing deploys', () => {
    expect(decide(1, 'failed', v3, [v3, v2, v1])).toMatchObject({ action: 'rollback', to: v1 });
  });

  it.each([
    ['inconclusive (throttled)', 2, 'inconclusive'],
    ['a configuration error', 2, undefined],
  ] as const)(
    'never rolls back when the verification could not judge: %s',
    (_name, code, verdict) => {
      const decision = decide(code, verdict, v2, [v2, v1]);
      expect(decision).toStrictEqual({
        action: 'keep',
        reason: expect.stringMatching(/could not judge.*only a definitive FAIL/),
      });
    },
  );

  it('keeps the deployment when rollback is off, and says which switch', () => {
    const decision = decide(1, 'failed', v2, [v2, v1], false);
    expect(decision).toStrictEqual({
      action: 'keep',
      reason: expect.stringMatching(/rollback is off \(--skip-rollback\)/),
    });
  });

  it('has nothing to return to on a failing first deploy or after pruning', () => {
    const decision = decide(1, 'failed', v2, [v2]);
    expect(decision).toStrictEqual({
      action: 'keep',
      reason: expect.stringMatching(/no verified deployment to return to/),
    });
  });

  it('does not roll back when the live deployment passed before (nothing new broke it)', () => {
    const decision = decide(1, 'failed', v1, [v2, v1]);
    expect(decision).toStrictEqual({
      action: 'keep',
      reason: expect.stringMatching(/passed on .* did not come with a new deployment/),
    });
  });
});

describe('decideRollback when another deploy took over', () => {
  it.each([
    ['a PASS', 0, 'verified'],
    ['a FAIL', 1, 'failed'],
  ] as const)(
    'neither records nor rolls back %s of a deployment no longer live',
    (_name, code, verdict) => {
      // Act
      const decision = decideRollback({
        exitCode: code,
        verdict,
        enabled: true,
        history: { live: identity(v3), deployments: [v3, v2, v1], ignored: [] },
        own: identity(v2),
      });
      // Assess
      expect(decision).toStrictEqual({
        action: 'superseded',
        own: identity(v2),
        live: identity(v3),
      });
    },
  );
});

describe('deploymentOfKey', () => {
  it('reads the artifact directory of a framework key', () => {
    expect(
      deploymentOfKey(
        'serverless/petsage-smoke-test/prod/1795435817943-2026-11-23T12:10:17.943Z/health.zip',
      ),
    ).toBe('1795435817943-2026-11-23T12:10:17.943Z');
    expect(
      deploymentOfKey('serverless/petsage-smoke-test/prod/smoke-verified/x.json'),
    ).toBeUndefined();
  });
});
