// The gate's own record of what is live: the freshest fact about a stage. Alarms need a full
// window to notice, and a stand-in (moto) never evaluates them; the record says at once whether
// the live deployment passed its gate.

import { CouldNotJudgeError } from '../core/errors.ts';
import type { RecordedVerdict } from '../core/verdicts.ts';
import { checkHistory, type HistoryRequest } from '../deployments/history.ts';
import type { ShiftInProgress } from '../traffic/traffic-shift.ts';

/** The live deployment as the gate recorded it; `verdict` null when the records could not be read. */
export interface LiveRecord {
  directory: string | null;
  commit: string | null;
  verdict: RecordedVerdict | 'unrecorded' | 'untrusted' | null;
  /** Why there is no verdict, when there is none. */
  note: string | null;
  /** Why the stage's records are untrusted as a whole (rewound past its anchor), if they are. */
  rewound?: string | undefined;
  /** The traffic mode: a shift of live in progress (its weights), if there is one. */
  shift?: ShiftInProgress | undefined;
}

/** Reads the stage's records for its live deployment; what could not be read is a note. */
export async function readLiveRecord(request: HistoryRequest): Promise<LiveRecord> {
  try {
    const history = await checkHistory(request);
    const rewound = {
      ...(history.rewound === null ? {} : { rewound: history.rewound }),
      ...(history.traffic?.shift ? { shift: history.traffic.shift } : {}),
    };
    const live = history.deployments.find((entry) => entry.live);
    if (history.traffic?.note) {
      // The traffic mode: live serves a version no trusted record names.
      return {
        directory: null,
        commit: null,
        verdict: 'untrusted',
        note: history.traffic.note,
        ...rewound,
      };
    }
    if (live === undefined) {
      return {
        directory: null,
        commit: null,
        verdict: null,
        note: 'no deployment in the bucket is live',
        ...rewound,
      };
    }
    return {
      directory: live.directory,
      commit: live.commit,
      verdict: live.verdict,
      note:
        live.verdict === 'unrecorded'
          ? 'the gate has no record of the live deployment'
          : live.untrusted === null
            ? null
            : `its record is untrusted: ${live.untrusted.why}`,
      ...rewound,
    };
  } catch (error) {
    if (!(error instanceof CouldNotJudgeError)) throw error;
    return {
      directory: null,
      commit: null,
      verdict: null,
      note: `the gate's records could not be read: ${error.message}`,
    };
  }
}
