import { describe, expect, it } from 'vitest';
import {
  errorReport,
  formatHistory,
  formatReport,
  formatStatus,
  palette,
} from '../../../../packages/smoke-gate/src/report/report.ts';
import type { StatusReport } from '../../../../packages/smoke-gate/src/status/status.ts';
import type { VerifyReport } from '../../../../packages/smoke-gate/src/verification/verify-deployment.ts';
import { failedReport as report } from '../../../helpers/verify-report.ts';

describe('formatReport', () => {
  it('names the contract it judged by, when the run said', () => {
    // Act
    const named = formatReport({ ...report, contract: 'custom.smokeTest of serverless.yml' });
    // Assess
    expect(named).toContain('\n  judged by custom.smokeTest of serverless.yml\n');
    expect(formatReport(report)).not.toContain('judged by');
  });

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

describe('formatStatus', () => {
  const status: StatusReport = {
    ok: true,
    status: 'healthy',
    stage: 'prod',
    live: {
      directory: '1796207435595-2026-12-02T10:30:35.595Z',
      commit: '0123456789abcdef',
      verdict: 'verified',
      note: null,
    },
    stack: 'petsage-smoke-test-prod',
    alarms: [{ role: 'heartbeat', name: 'hb', state: 'OK', since: null, reason: null }],
    heartbeat: {
      found: true,
      timestamp: '2026-11-29T11:58:00.000Z',
      ageMs: 120_000,
      staleAfterMs: 900_000,
    },
    routeHeartbeat: {
      found: true,
      timestamp: '2026-11-29T11:59:00.000Z',
      ageMs: 60_000,
      trigger: 'route-heartbeat',
    },
    broken: null,
    history: {
      hours: 24,
      lines: Array.from({ length: 24 }, (_, hour) => (hour === 3 ? 0 : 24)),
      failures: Array.from({ length: 24 }, (_, hour) => (hour === 20 ? 2 : 0)),
      lagMs: { p50: 812, p95: 1_950, samples: 50 },
    },
    elapsedMs: 900,
    hints: [],
  };

  it('says first which deployment is live and the gate’s verdict on it', () => {
    // Act
    const lines = formatStatus(status).split('\n');
    const failed = formatStatus({ ...status, live: { ...status.live, verdict: 'failed' } });
    // Assess
    expect(lines[1]).toBe(
      '  live deployment   1796207435595-2026-12-02T10:30:35.595Z (commit 0123456789ab): verified by the gate',
    );
    expect(failed).toMatch(/\(commit 0123456789ab\): FAILED by the gate/);
  });

  it('charts the last 24 hours per hour, with totals and the lag, on a wide terminal', () => {
    // Act
    const text = formatStatus(status, palette(false), { unicode: true, width: 100 });
    // Assess
    expect(text).toContain(`lines/24 h           |${'███ '}${'█'.repeat(20)}|  552`);
    expect(text).toMatch(/failures {13}\| {20}█ {3}\| {2}2/);
    expect(text).toContain('ingestion lag        p50 812 ms, p95 1950 ms (last 50 lines)');
  });

  it('folds hours together on a narrow terminal and uses plain characters without Unicode', () => {
    // Act
    const text = formatStatus(status, palette(false), { unicode: false, width: 48 });
    // Assess
    const chart = /lines\/24 h +\|([^|]*)\|/.exec(text)?.[1] ?? '';
    expect(chart).toHaveLength(12);
    expect(chart).toMatch(/^[#*+=:\-._ ]+$/);
    expect(text).not.toMatch(/[▁-█]/);
  });

  it('writes no colour codes when colour is off (NO_COLOR)', () => {
    expect(formatStatus(status, palette(false))).not.toContain('\u001b[');
  });
});

describe('formatHistory', () => {
  /** The live, verified deployment of the history below. */
  const liveEntry = {
    timestamp: '2026-12-02T10:00:00.000Z',
    directory: '1796205600000-2026-12-02T10:00:00.000Z',
    commit: '3f2a9c1d00e1',
    version: '1.2.0',
    verdict: 'verified' as const,
    untrusted: null,
    at: null,
    ci: null,
    live: true,
    rollbackTarget: false,
    functionVersion: null,
  };

  it('in the traffic mode, names each deployment’s version and where live and candidate point', () => {
    // Act
    const text = formatHistory({
      stage: 'prod',
      stack: 'orders-prod',
      deployments: [{ ...liveEntry, functionVersion: '12' }],
      ignored: [],
      rewound: null,
      traffic: {
        live: '12',
        candidate: null,
        shift: null,
        note: 'changed outside the pipeline: x',
      },
    });
    // Assess
    const lines = text.split('\n');
    expect(lines[2]).toMatch(/verified {9}LIVE, function version 12$/);
    expect(lines[3]).toBe(
      '  traffic mode: live -> version 12, candidate -> none (no gate running)',
    );
    expect(lines[4]).toBe('  changed outside the pipeline: x');
  });

  it('in the traffic mode, names a shift in progress with its weights and the ways out', () => {
    // Act
    const text = formatHistory({
      stage: 'prod',
      stack: 'orders-prod',
      deployments: [{ ...liveEntry, functionVersion: '12' }],
      ignored: [],
      rewound: null,
      traffic: {
        live: '12',
        candidate: null,
        shift: { from: '12', to: '13', percent: 10 },
        note: null,
      },
    });
    // Assess
    expect(text).toContain(
      '  shift in progress: version 13 at 10%, the rest on version 12 (finish: smoke-gate promote; undo: smoke-gate abort)',
    );
  });

  it('puts a header row over the columns, then one line per deployment, newest first', () => {
    // Act
    const text = formatHistory({
      stage: 'prod',
      stack: 'orders-prod',
      deployments: [
        liveEntry,
        {
          timestamp: '2026-12-01T10:00:00.000Z',
          directory: '1796119200000-2026-12-01T10:00:00.000Z',
          commit: 'planted',
          version: null,
          verdict: 'untrusted',
          untrusted: { claims: 'verified', why: 'unsigned' },
          at: null,
          ci: null,
          live: false,
          rollbackTarget: false,
          functionVersion: null,
        },
      ],
      ignored: ['record of 1796119200000-2026-12-01T10:00:00.000Z untrusted: unsigned'],
      rewound: null,
      traffic: null,
    });
    // Assess
    const lines = text.split('\n');
    expect(lines[1]).toMatch(
      /^ {2}deployed at {15}commit {8}version {3}verdict {10}live, rollback target$/,
    );
    expect(lines[2]).toMatch(
      /^ {2}2026-12-02T10:00:00.000Z {2}3f2a9c1d00e1 {2}1.2.0 {5}verified {9}LIVE$/,
    );
    expect(lines[3]).toMatch(/untrusted/);
    expect(lines[4]).toBe(
      '  note: record of 1796119200000-2026-12-01T10:00:00.000Z untrusted: unsigned',
    );
  });
});
