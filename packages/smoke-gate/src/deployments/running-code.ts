// "Live" is what runs: the function's code as Lambda reports it (CodeSha256, base64 of the zip's
// sha256), compared with the zip the live deployment's record vouches for (hex). Code changed
// behind the gate (`aws lambda update-function-code`, `deploy function` by hand) is then
// `changed outside the pipeline`, never `verified`.
import {
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { callAws } from '../aws/aws-call.ts';
import type { Deadline } from '../core/deadline.ts';
import type { DeploymentRecord } from './deployment-record.ts';

/** The sha256 (hex) of the code a function runs now, from Lambda's CodeSha256 (base64). */
export async function runningCodeSha256(
  lambda: LambdaClient,
  functionName: string,
  deadline: Deadline,
): Promise<string | undefined> {
  const answer = await callAws<GetFunctionConfigurationCommandOutput>(
    lambda,
    new GetFunctionConfigurationCommand({ FunctionName: functionName }),
    {
      what: `reading the code of function ${functionName}`,
      deadline,
      needs: 'lambda:GetFunctionConfiguration on the function',
    },
  );
  const base64 = answer.CodeSha256;
  return base64 === undefined ? undefined : Buffer.from(base64, 'base64').toString('hex');
}

/**
 * Why the running code is not what the record vouches for, or undefined: `zip` is the function's
 * artifact name in the deployment (its code key's last part).
 */
export function changedOutsideBecause(
  record: Pick<DeploymentRecord, 'artifacts'>,
  zip: string,
  running: string | undefined,
): string | undefined {
  const recorded = record.artifacts[zip]?.sha256;
  if (running === undefined || recorded === undefined || running === recorded) return undefined;
  return `changed outside the pipeline: the function runs code sha256 ${running}, not the ${zip} its record vouches for (${recorded})`;
}
