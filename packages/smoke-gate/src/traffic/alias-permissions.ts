// The invoke permissions on the gate's aliases: the ones the stack would have put on the bare
// function (API Gateway, the schedule), added to each alias once, by statement id.
import {
  AddPermissionCommand,
  GetPolicyCommand,
  type GetPolicyCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { callAws } from '../aws/aws-call.ts';
import type { Deadline } from '../core/deadline.ts';
import { isRecord, parseJsonObject } from '../core/json.ts';
import { NotThere, notThere } from './aliases.ts';
import type { GateAlias, Invoker } from './traffic-stage.ts';

/** The statement id of one invoker's permission on an alias. */
export const statementId = (alias: GateAlias, index: number): string =>
  `smoke-gate-${alias}-${index}`;

/** The statement ids already on an alias's policy (none when it has no policy). */
async function statementIds(
  lambda: LambdaClient,
  functionName: string,
  alias: GateAlias,
  deadline: Deadline,
): Promise<Set<string>> {
  try {
    const answer = await callAws<GetPolicyCommandOutput>(
      lambda,
      new GetPolicyCommand({ FunctionName: functionName, Qualifier: alias }),
      {
        what: `reading the policy of ${functionName}:${alias}`,
        deadline,
        needs: 'lambda:GetPolicy on the function',
        explain: notThere,
      },
    );
    const statements = parseJsonObject(answer.Policy)?.Statement;
    return new Set(
      (Array.isArray(statements) ? statements : []).flatMap((statement) =>
        isRecord(statement) && typeof statement.Sid === 'string' ? [statement.Sid] : [],
      ),
    );
  } catch (error) {
    if (error instanceof NotThere) return new Set();
    throw error;
  }
}

/**
 * Lets every invoker call `alias` (the permissions the stack would have put on the bare function):
 * one AddPermission per invoker the alias's policy does not hold yet, so a second run adds none.
 */
export async function allowInvokers(
  lambda: LambdaClient,
  target: { functionName: string; alias: GateAlias; invokers: Invoker[] },
  deadline: Deadline,
): Promise<number> {
  const { functionName, alias, invokers } = target;
  const present = await statementIds(lambda, functionName, alias, deadline);
  let added = 0;
  for (const [index, invoker] of invokers.entries()) {
    const sid = statementId(alias, index);
    if (present.has(sid)) continue;
    try {
      await callAws(
        lambda,
        new AddPermissionCommand({
          FunctionName: functionName,
          Qualifier: alias,
          StatementId: sid,
          Action: 'lambda:InvokeFunction',
          Principal: invoker.principal,
          SourceArn: invoker.sourceArn,
        }),
        {
          what: `letting ${invoker.principal} invoke ${functionName}:${alias}`,
          deadline,
          needs: 'lambda:AddPermission on the function',
          // Another gate added it in between: it is there, as wanted.
          explain: (error) =>
            error instanceof Error && error.name === 'ResourceConflictException'
              ? new NotThere('already there')
              : undefined,
        },
      );
      added++;
    } catch (error) {
      if (!(error instanceof NotThere)) throw error;
    }
  }
  return added;
}
