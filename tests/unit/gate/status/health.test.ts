import { describe, expect, it } from 'vitest';
import {
  type AlarmStatus,
  type HealthFacts,
  judgeHealth,
} from '../../../../packages/smoke-gate/src/status/health.ts';

const alarm = (role: AlarmStatus['role'], state = 'OK'): AlarmStatus => ({
  role,
  name: `petsage-smoke-test-prod-${role}`,
  state,
  since: null,
  reason: state === 'ALARM' ? 'Threshold Crossed' : null,
});

const MINUTE = 60_000;

/** A healthy stage: every alarm OK, both halves wrote a line a minute ago. */
const facts = (changes: Partial<HealthFacts> = {}): HealthFacts => ({
  alarms: [alarm('heartbeat'), alarm('route'), alarm('failure')],
  ageMs: MINUTE,
  routeAgeMs: MINUTE,
  staleAfterMs: 15 * MINUTE,
  hasRouteAlarm: true,
  logGroupName: '/aws/lambda/petsage-smoke-test-prod-health',
  linesKnown: true,
  ...changes,
});

describe('judgeHealth', () => {
  it('is healthy with every alarm OK and both halves fresh', () => {
    expect(judgeHealth(facts())).toStrictEqual({ status: 'healthy', broken: null, hints: [] });
  });

  it.each([
    [
      'an alarm in ALARM',
      { alarms: [alarm('heartbeat'), alarm('route'), alarm('failure', 'ALARM')] },
      'alarming',
      null,
    ],
    [
      'a missing alarm',
      { alarms: [alarm('heartbeat', 'MISSING'), alarm('route'), alarm('failure')] },
      'alarming',
      null,
    ],
    ['no line from either half', { ageMs: null, routeAgeMs: null }, 'stale', 'function'],
    [
      'the direct heartbeat stale while its alarm is in ALARM',
      {
        ageMs: 20 * MINUTE,
        alarms: [alarm('heartbeat', 'ALARM'), alarm('route'), alarm('failure')],
      },
      'alarming',
      'function',
    ],
    [
      'nothing through the route though the function writes',
      { routeAgeMs: 20 * MINUTE },
      'stale',
      'route',
    ],
    ['the direct heartbeat stale though the route works', { ageMs: 16 * MINUTE }, 'stale', null],
  ] as [string, Partial<HealthFacts>, string, string | null][])(
    'judges %s: %s, broken %s',
    (_name, changes, status, broken) => {
      // Act
      const health = judgeHealth(facts(changes));
      // Assess
      expect(health.status).toBe(status);
      expect(health.broken).toBe(broken);
      expect(health.hints.length).toBeGreaterThan(0);
    },
  );

  it('does not call a route without its own alarm broken for its silence (an older stack)', () => {
    // Act
    const health = judgeHealth(
      facts({
        alarms: [alarm('heartbeat'), alarm('failure')],
        routeAgeMs: null,
        hasRouteAlarm: false,
      }),
    );
    // Assess
    expect(health).toMatchObject({ status: 'healthy', broken: null });
    expect(health.hints).toStrictEqual([expect.stringMatching(/no route heartbeat yet/)]);
  });

  it("names the service's own heartbeat settings when the function wrote nothing", () => {
    // Act
    const health = judgeHealth(facts({ ageMs: null, routeAgeMs: null }));
    // Assess
    expect(health.hints.join('\n')).toMatch(
      /custom\.smokeTest\.monitoring\.schedule and \.heartbeat, the stack's HeartbeatEnabled parameter/,
    );
    expect(health.hints.join('\n')).not.toMatch(/heartbeatEnabled/);
  });

  it('says the lines were not read when the stack stores no contract, and calls it stale', () => {
    // Act
    const health = judgeHealth(facts({ ageMs: null, routeAgeMs: null, linesKnown: false }));
    // Assess
    expect(health.status).toBe('stale');
    expect(health.hints).toContain(
      "the stack's template stores no smoke-test contract (Metadata.SmokeGate), so its lines were not read: deploy it with this version of the gate.",
    );
  });

  it('counts the window exactly: a line as old as the window is fresh', () => {
    expect(judgeHealth(facts({ ageMs: 15 * MINUTE, routeAgeMs: 15 * MINUTE })).status).toBe(
      'healthy',
    );
    expect(judgeHealth(facts({ ageMs: 15 * MINUTE + 1 })).status).toBe('stale');
  });

  it('is unverified, whatever the alarms say, when the gate recorded the live deployment as failed', () => {
    // Act
    const health = judgeHealth(
      facts({
        live: { verdict: 'failed', commit: 'abc123', directory: '1796-2026-12-02T10:00:00Z' },
      }),
    );
    // Assess
    expect(health.status).toBe('unverified');
    expect(health.hints[0]).toMatch(
      /^the live deployment 1796-2026-12-02T10:00:00Z \(commit abc123\) FAILED its smoke test and was left live/,
    );
  });

  it('is unverified when the live deployment’s gate was interrupted (Ctrl-C or a CI cancel)', () => {
    // Act
    const health = judgeHealth(
      facts({ live: { verdict: 'interrupted', commit: 'abc123', directory: 'd' } }),
    );
    // Assess
    expect(health.status).toBe('unverified');
    expect(health.hints[0]).toMatch(
      /^the live deployment d \(commit abc123\) was never verified: its gate was interrupted/,
    );
  });

  it.each(['verified', 'restored', 'unrecorded', 'could-not-judge', 'toString', null])(
    'leaves a live deployment recorded as %s to the alarms',
    (verdict) => {
      expect(judgeHealth(facts({ live: { verdict, commit: 'c', directory: 'd' } })).status).toBe(
        'healthy',
      );
    },
  );
});
