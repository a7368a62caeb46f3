// As whom a target is read: a targets-file entry's (or the flags') `profile` gives the base
// credentials (the SDK's shared config: SSO and role_arn/source_profile included), and its
// `roleArn` (with `externalId`) is assumed from them, in that target's account. Checked here,
// before any call: a malformed one ends the run in one line naming the entry (exit 2).

import { CouldNotJudgeError } from '../core/errors.ts';
import { safeText } from '../core/safe-text.ts';

/** How a target's credentials are made. */
export interface TargetAccess {
  profile?: string | undefined;
  roleArn?: string | undefined;
  externalId?: string | undefined;
}

/** The keys an entry may carry for its access. */
export const ACCESS_KEYS = ['roleArn', 'externalId', 'profile'] as const;

/** An IAM role ARN: partition, 12-digit account, role name with its path. */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
/** What STS takes as an external id. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** A profile name as the shared config files write them. */
const PROFILE = /^[\w+=,.@:/-]{1,128}$/;

const quoted = (value: unknown) => JSON.stringify(safeText(value, 80));

/** The account of a role ARN. */
export const roleAccount = (arn: string): string | undefined => ROLE_ARN.exec(arn)?.[1];

/** Checks one target's access; `where` names it in the error (an entry, or the flags). */
export function checkAccess(access: TargetAccess, where: string): TargetAccess | undefined {
  const { profile, roleArn, externalId } = access;
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
    throw new CouldNotJudgeError(
      `${where}: roleArn ${quoted(roleArn)} is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`,
    );
  }
  if (externalId !== undefined && roleArn === undefined) {
    throw new CouldNotJudgeError(`${where}: externalId goes with a roleArn`);
  }
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw new CouldNotJudgeError(`${where}: externalId is not one STS takes (2-1224 characters)`);
  }
  if (profile !== undefined && !PROFILE.test(profile)) {
    throw new CouldNotJudgeError(`${where}: profile ${quoted(profile)} is not a profile name`);
  }
  return profile === undefined && roleArn === undefined
    ? undefined
    : { profile, roleArn, externalId };
}

/**
 * Refuses, before any call, a profile that no shared config file names (`~/.aws/config`,
 * `~/.aws/credentials`, or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE), naming the entry.
 */
export async function checkProfiles(
  targets: { access?: TargetAccess | undefined; source: string }[],
): Promise<void> {
  const named = targets.filter((target) => target.access?.profile !== undefined);
  if (named.length === 0) return;
  // Loaded here: only a run that names profiles reads the SDK's shared config files.
  const { parseKnownFiles } = await import('@smithy/core/config');
  const profiles = await parseKnownFiles({}).catch(() => ({}));
  for (const target of named) {
    const profile = target.access?.profile as string;
    if (!Object.hasOwn(profiles, profile)) {
      throw new CouldNotJudgeError(
        `${target.source}: profile ${quoted(profile)} is in no shared config file (~/.aws/config, ~/.aws/credentials, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)`,
      );
    }
  }
}
