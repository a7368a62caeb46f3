// The traffic mode's moves, one Lambda API call each: the version this deploy made, where an alias
// points, an alias moved (created the first time), and the invoke permissions on an alias. The
// stack never declares the aliases, so no stack update, rollback or drift check moves traffic.
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  type GetAliasCommandOutput,
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
  type LambdaClient,
  PublishVersionCommand,
  type PublishVersionCommandOutput,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { callAws } from '../aws/aws-call.ts';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import type { GateAlias } from './traffic-stage.ts';

/** Lambda's answer for an alias, version or policy that is not there. */
export class NotThere extends CouldNotJudgeError {
  override name = 'NotThere';
}

/** CreateAlias found the alias made already (by another gate, in between). */
export class AliasTakenError extends CouldNotJudgeError {
  override name = 'AliasTakenError';
}

export const notThere = (error: unknown) =>
  error instanceof Error && error.name === 'ResourceNotFoundException'
    ? new NotThere(error.message)
    : undefined;

/** What an alias the gate made says of itself. */
export const ALIAS_DESCRIPTION = 'Moved by the smoke gate only (docs/traffic.md)';

/** A published version of a function: its number and the code it runs (Lambda's CodeSha256). */
export interface FunctionVersion {
  version: string;
  codeSha256: string;
}

/**
 * The version of what the deploy left in `$LATEST`: Lambda publishes one only when code or
 * configuration changed since the last (else it answers that one), so a deploy that published a
 * version through the stack gets the same number. `CodeSha256` makes Lambda refuse to publish
 * code that changed in between (another deploy).
 */
export async function publishDeployedVersion(
  lambda: LambdaClient,
  functionName: string,
  deadline: Deadline,
): Promise<FunctionVersion> {
  const latest = await callAws<GetFunctionConfigurationCommandOutput>(
    lambda,
    new GetFunctionConfigurationCommand({ FunctionName: functionName }),
    {
      what: `reading function ${functionName}`,
      deadline,
      needs: 'lambda:GetFunctionConfiguration on the function',
    },
  );
  const published = await callAws<PublishVersionCommandOutput>(
    lambda,
    new PublishVersionCommand({ FunctionName: functionName, CodeSha256: latest.CodeSha256 }),
    {
      what: `publishing a version of function ${functionName}`,
      deadline,
      needs: 'lambda:PublishVersion on the function',
    },
  );
  if (published.Version === undefined || !/^\d{1,10}$/.test(published.Version)) {
    throw new CouldNotJudgeError(
      `publishing a version of function ${functionName} returned no version number`,
    );
  }
  return { version: published.Version, codeSha256: published.CodeSha256 ?? '' };
}

/** The code a published version runs (Lambda's CodeSha256); undefined when it no longer exists. */
export async function versionCode(
  lambda: LambdaClient,
  functionName: string,
  version: string,
  deadline: Deadline,
): Promise<string | undefined> {
  try {
    const answer = await callAws<GetFunctionConfigurationCommandOutput>(
      lambda,
      new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }),
      {
        what: `reading version ${version} of function ${functionName}`,
        deadline,
        needs: 'lambda:GetFunctionConfiguration on the function',
        explain: notThere,
      },
    );
    return answer.CodeSha256 ?? '';
  } catch (error) {
    if (error instanceof NotThere) return undefined;
    throw error;
  }
}

/** The version an alias points at; undefined when the alias does not exist (yet). */
export async function aliasVersion(
  lambda: LambdaClient,
  functionName: string,
  alias: GateAlias,
  deadline: Deadline,
): Promise<string | undefined> {
  return (await aliasState(lambda, functionName, alias, deadline))?.version;
}

/** An alias as Lambda holds it: its version, description and the weights of other versions. */
export interface AliasState {
  version: string;
  description: string;
  /** A shift in progress: version -> its share (0-1) of the alias's calls. */
  weights: Record<string, number>;
}

/** An alias as Lambda holds it; undefined when it does not exist. */
export async function aliasState(
  lambda: LambdaClient,
  functionName: string,
  alias: GateAlias,
  deadline: Deadline,
): Promise<AliasState | undefined> {
  try {
    const answer = await callAws<GetAliasCommandOutput>(
      lambda,
      new GetAliasCommand({ FunctionName: functionName, Name: alias }),
      {
        what: `reading alias ${alias} of function ${functionName}`,
        deadline,
        needs: 'lambda:GetAlias on the function',
        explain: notThere,
      },
    );
    return {
      version: answer.FunctionVersion ?? '',
      description: answer.Description ?? '',
      weights: { ...answer.RoutingConfig?.AdditionalVersionWeights },
    };
  } catch (error) {
    if (error instanceof NotThere) return undefined;
    throw error;
  }
}

/** Deletes an alias (and the permissions on it); one that is gone already is fine. */
export async function deleteAlias(
  lambda: LambdaClient,
  functionName: string,
  alias: GateAlias,
  deadline: Deadline,
): Promise<void> {
  try {
    await callAws(lambda, new DeleteAliasCommand({ FunctionName: functionName, Name: alias }), {
      what: `deleting alias ${alias} of function ${functionName}`,
      deadline,
      needs: 'lambda:DeleteAlias on the function',
      explain: notThere,
    });
  } catch (error) {
    if (!(error instanceof NotThere)) throw error;
  }
}

/**
 * Points `alias` at `version` in one call (UpdateAlias; CreateAlias the first time). Never
 * weighted: every call through the alias then runs `version`.
 */
export async function pointAlias(
  lambda: LambdaClient,
  target: {
    functionName: string;
    alias: GateAlias;
    version: string;
    /** Says who moved it (the candidate's claim); the alias's own when absent. */
    description?: string | undefined;
    /** Only create it: another gate that created it first makes this fail (ConflictException). */
    createOnly?: boolean | undefined;
  },
  deadline: Deadline,
): Promise<void> {
  const { functionName, alias, version, description } = target;
  const call = {
    what: `moving alias ${alias} of function ${functionName} to version ${version}`,
    deadline,
    needs: 'lambda:UpdateAlias and lambda:CreateAlias on the function',
  };
  const create = () =>
    callAws(
      lambda,
      new CreateAliasCommand({
        FunctionName: functionName,
        Name: alias,
        FunctionVersion: version,
        Description: description ?? ALIAS_DESCRIPTION,
      }),
      {
        ...call,
        explain: (error) =>
          error instanceof Error && /Conflict/.test(error.name)
            ? new AliasTakenError(`alias ${alias} of function ${functionName} exists already`)
            : undefined,
      },
    );
  if (target.createOnly === true) {
    await create();
    return;
  }
  try {
    await callAws(
      lambda,
      new UpdateAliasCommand({
        FunctionName: functionName,
        Name: alias,
        FunctionVersion: version,
        // A weighted alias left by anything else is made whole: all calls to `version`.
        RoutingConfig: { AdditionalVersionWeights: {} },
        ...(description === undefined ? {} : { Description: description }),
      }),
      { ...call, explain: notThere },
    );
  } catch (error) {
    if (!(error instanceof NotThere)) throw error;
    await create();
  }
}
