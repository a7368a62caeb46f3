// One step of a shift of the traffic mode (docs/traffic.md): `live` weighted between two
// published versions in one Lambda call.

import { type LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { callAws } from '../aws/aws-call.ts';
import type { Deadline } from '../core/deadline.ts';
import type { GateAlias } from './traffic-stage.ts';

/**
 * One step of a shift, in one call (UpdateAlias): `alias` stays on `version`, and `weighted`
 * takes `percent` of its calls. Both are published versions (Lambda refuses weights on $LATEST).
 */
export async function weighAlias(
  lambda: LambdaClient,
  target: {
    functionName: string;
    alias: GateAlias;
    version: string;
    weighted: { version: string; percent: number };
  },
  deadline: Deadline,
): Promise<void> {
  const { functionName, alias, version, weighted } = target;
  await callAws(
    lambda,
    new UpdateAliasCommand({
      FunctionName: functionName,
      Name: alias,
      FunctionVersion: version,
      RoutingConfig: { AdditionalVersionWeights: { [weighted.version]: weighted.percent / 100 } },
    }),
    {
      what: `weighting alias ${alias} of function ${functionName}: version ${weighted.version} at ${weighted.percent}%`,
      deadline,
      needs: 'lambda:UpdateAlias on the function',
    },
  );
}
