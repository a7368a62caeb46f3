// Where the gate is and what started it: the words the after-deploy step, the gate and its
// interruption block share.

import type { RecordedVerdict } from '../core/verdicts.ts';
import type { DeploymentIdentity } from '../deployments/deployment-record.ts';

/** Where the verification runs from: `serverless smoke`, after `deploy`, `deploy function` or `rollback`. */
export type SmokeTrigger = 'command' | 'deploy' | 'deploy-function' | 'rollback';

/** Where the gate is, as the interruption block tells it. */
export type GateStep =
  | { step: 'verifying' }
  /** The verification has its verdict; nothing has acted on it yet (record, rollback). */
  | { step: 'judged'; verdict: RecordedVerdict }
  | { step: 'rolling-back'; to: string }
  | { step: 'verifying-restored'; to: string };

/** What the watch reads when the signal comes: the gate's step and this command's deployment. */
export interface GateState {
  current: GateStep;
  own: DeploymentIdentity | undefined;
}
