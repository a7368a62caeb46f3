// `smoke-gate promote` and `abort` (docs/traffic.md): a shift left halfway (a bake interrupted,
// or a gate that died) finished or undone in one alias call: `live` whole on the new version, or
// whole on the old one. The deployment's record is not touched: it says what its gate saw.

import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Deadline } from '../core/deadline.ts';
import { aliasState, pointAlias } from './aliases.ts';
import { type ShiftInProgress, shiftInProgress } from './traffic-shift.ts';
import { requiredTrafficStage, TRAFFIC_NAMES } from './traffic-stage.ts';

/** What `promote` or `abort` did: the shift it found (none: nothing moved) and what live serves now. */
export interface ShiftFinish {
  ok: true;
  action: 'promote' | 'abort';
  stack: string;
  shift: ShiftInProgress | null;
  live: string | null;
  note: string;
}

/** Finishes (`promote`) or undoes (`abort`) the shift `live` of `stack` is in, if any. */
export async function finishShift(
  clients: { lambda: LambdaClient; cloudFormation: CloudFormationClient },
  request: { stack: string; action: 'promote' | 'abort' },
  deadline: Deadline,
): Promise<ShiftFinish> {
  const { stack, action } = request;
  const stage = await requiredTrafficStage(clients.cloudFormation, stack, deadline);
  const live = await aliasState(clients.lambda, stage.functionName, TRAFFIC_NAMES.live, deadline);
  const shift = shiftInProgress(live);
  if (shift === undefined) {
    const serves = live === undefined ? null : live.version;
    return {
      ok: true,
      action,
      stack,
      shift: null,
      live: serves,
      note: `no shift in progress on stack ${stack}: ${serves === null ? 'there is no live alias' : `live serves version ${serves} whole`}; nothing was changed.`,
    };
  }
  const version = action === 'promote' ? shift.to : shift.from;
  await pointAlias(
    clients.lambda,
    { functionName: stage.functionName, alias: TRAFFIC_NAMES.live, version },
    deadline,
  );
  const was = `version ${shift.to} at ${shift.percent}%, the rest on version ${shift.from}`;
  return {
    ok: true,
    action,
    stack,
    shift,
    live: version,
    note: `${action === 'promote' ? 'promoted' : 'aborted'}: live of stack ${stack} serves version ${version} whole (was ${was}), in one alias update. Its record was not changed: verify it with npx serverless smoke.`,
  };
}
