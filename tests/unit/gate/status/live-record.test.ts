import { describe, expect, it, vi } from 'vitest';
import { CouldNotJudgeError } from '../../../../packages/smoke-gate/src/core/errors.ts';
import type { HistoryReport } from '../../../../packages/smoke-gate/src/deployments/history.ts';

// The records as history reads them, stood in for: this module only picks what is live.
const history = vi.hoisted(() => ({ report: undefined as unknown, error: undefined as unknown }));
vi.mock('../../../../packages/smoke-gate/src/deployments/history.ts', () => ({
  checkHistory: async () => {
    if (history.error !== undefined) throw history.error;
    return history.report;
  },
}));

const { readLiveRecord } = await import(
  '../../../../packages/smoke-gate/src/status/live-record.ts'
);

const request = {} as Parameters<typeof readLiveRecord>[0];
const entry = (directory: string, live: boolean, verdict: string) => ({
  timestamp: directory,
  directory,
  commit: `commit-${directory}`,
  version: '1.0.0',
  verdict,
  at: null,
  ci: null,
  live,
  rollbackTarget: false,
  untrusted: null,
  functionVersion: null,
});

describe('readLiveRecord: the gate’s record of what is live', () => {
  it('picks the live deployment and its recorded verdict', async () => {
    // Prepare
    history.error = undefined;
    history.report = {
      stage: 'prod',
      stack: 'svc-prod',
      deployments: [entry('2', true, 'failed'), entry('1', false, 'verified')],
      ignored: [],
      rewound: null,
      traffic: null,
    } as HistoryReport;
    // Act
    const live = await readLiveRecord(request);
    // Assess
    expect(live).toStrictEqual({
      directory: '2',
      commit: 'commit-2',
      verdict: 'failed',
      note: null,
    });
  });

  it('in the traffic mode, calls a live alias on a version no trusted record names untrusted', async () => {
    // Prepare
    history.error = undefined;
    const note =
      'changed outside the pipeline: live points at version 9, which no trusted record names';
    history.report = {
      stage: 'prod',
      stack: 'svc-prod',
      deployments: [entry('2', false, 'verified')],
      ignored: [],
      rewound: null,
      traffic: { live: '9', candidate: null, shift: null, note },
    } as HistoryReport;
    // Act
    const live = await readLiveRecord(request);
    // Assess
    expect(live).toStrictEqual({ directory: null, commit: null, verdict: 'untrusted', note });
  });

  it('says the stage was rewound, with the live deployment’s untrusted record', async () => {
    // Prepare
    history.error = undefined;
    history.report = {
      stage: 'prod',
      stack: 'svc-prod',
      deployments: [
        {
          ...entry('2', true, 'untrusted'),
          untrusted: { claims: 'verified', why: 'the stage was rewound: gone' },
        },
      ],
      ignored: [],
      rewound: 'gone',
      traffic: null,
    } as HistoryReport;
    // Act
    const live = await readLiveRecord(request);
    // Assess
    expect(live).toStrictEqual({
      directory: '2',
      commit: 'commit-2',
      verdict: 'untrusted',
      note: 'its record is untrusted: the stage was rewound: gone',
      rewound: 'gone',
    });
  });

  it('says when the records cannot be read, and does not fail status for it', async () => {
    // Prepare
    history.error = new CouldNotJudgeError(
      'stack svc-prod has no ServerlessDeploymentBucketName output',
    );
    // Act
    const live = await readLiveRecord(request);
    // Assess
    expect(live).toStrictEqual({
      directory: null,
      commit: null,
      verdict: null,
      note: "the gate's records could not be read: stack svc-prod has no ServerlessDeploymentBucketName output",
    });
  });

  it('passes on what is not a could-not-judge (a bug stays loud)', async () => {
    // Prepare
    history.error = new TypeError('broken');
    // Act
    const read = readLiveRecord(request);
    // Assess
    await expect(read).rejects.toThrow('broken');
  });
});
