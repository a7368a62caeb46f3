// The values `smoke-gate init` fills the policies with: from its flags, the service's
// serverless.yml, the environment and the account, each checked before it is written anywhere.

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { AwsSettings } from '../../aws/aws-clients.ts';
import { callerIdentity } from '../../aws/caller-identity.ts';
import type { Deadline } from '../../core/deadline.ts';
import { CouldNotJudgeError } from '../../core/errors.ts';
import { safeText } from '../../core/safe-text.ts';
import type { Values } from '../flags.ts';
import { PLACEHOLDER_VALUES, type PolicyValues } from './role-policies.ts';
import { DEFAULT_TAG_KEY, IAM_NAME, type ServiceSetup } from './service-setup.ts';

const ACCOUNT = /^\d{12}$/;
const REPOSITORY = /^[\w.-]{1,100}\/[\w.-]{1,100}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** A flag's value checked against `pattern`, refused in one line naming the flag. */
function checked(value: string, pattern: RegExp, flag: string, what: string): string {
  if (!pattern.test(value)) {
    throw new CouldNotJudgeError(`${flag} ${JSON.stringify(safeText(value, 80))} is not ${what}`);
  }
  return value;
}

/** `owner/repo` of a GitHub remote URL (https or ssh), if it is one. */
export function githubRepositoryOf(url: string): string | undefined {
  const match = /github\.com[:/]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match?.[1];
}

/** The origin remote's repository of the folder, when git knows one (2 s at most). */
async function originRepository(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['config', '--get', 'remote.origin.url'], {
      cwd: dir,
      timeout: 2_000,
      maxBuffer: 4096,
    });
    return githubRepositoryOf(stdout);
  } catch {
    return undefined;
  }
}

/** Where a value came from, for the report. */
export interface InitValues {
  policy: PolicyValues;
  /** Values `init` could not find and left as placeholders, each with how to give it. */
  missing: string[];
}

/** The policy values of one `init` run (the records key's id filled in later, if known). */
export async function initValues(request: {
  values: Values;
  env: NodeJS.ProcessEnv;
  dir: string;
  setup: ServiceSetup;
  aws: AwsSettings & { region: string };
  deadline: Deadline;
}): Promise<InitValues> {
  const { values, env, setup } = request;
  const missing: string[] = [];
  const account =
    values.account === undefined
      ? (await callerIdentity(request.aws, request.deadline)).account
      : values.account;
  checked(account, ACCOUNT, '--account', 'a 12-digit AWS account id');
  const found = values.repository ?? env.GITHUB_REPOSITORY ?? (await originRepository(request.dir));
  const repository =
    found === undefined
      ? PLACEHOLDER_VALUES.repository
      : checked(found, REPOSITORY, '--repository', 'owner/repo');
  if (found === undefined) missing.push('the repository (--repository owner/repo)');
  const keyAdminRole = checked(
    values['key-admin-role'] ?? `${setup.service}-records-key-admin`,
    IAM_NAME,
    '--key-admin-role',
    'an IAM role name',
  );
  const externalId = checked(
    values['external-id'] ?? randomUUID(),
    EXTERNAL_ID,
    '--external-id',
    'an external id (2-1224 characters: letters, digits and +=,.@:/-)',
  );
  return {
    policy: {
      service: setup.service,
      region: request.aws.region,
      account,
      repository,
      bucket: setup.bucket,
      tagKey: setup.tagKey ?? DEFAULT_TAG_KEY,
      deployRole: setup.deployRole,
      verifyRole: `${setup.service}-verify`,
      keyAdminRole,
      recordsKeyId: PLACEHOLDER_VALUES.recordsKeyId,
      ciAccount: account,
      externalId,
    },
    missing,
  };
}
