// Stages in many AWS accounts in one run: a target's `roleArn` is assumed from its base
// credentials (its `profile`, else the run's), once per role, and refreshed before it expires in
// a long run. The account behind each set of credentials is asked once (GetCallerIdentity), so
// CloudWatch Logs budgets are per account and region: two roles in one account share one.

import {
  AssumeRoleCommand,
  type AssumeRoleCommandOutput,
  GetCallerIdentityCommand,
  type GetCallerIdentityCommandOutput,
  STSClient,
} from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Deadline } from '../core/deadline.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { CLI_NAME } from '../core/product.ts';
import { safeText } from '../core/safe-text.ts';
import { callAws } from './aws-call.ts';
import { type AwsSettings, clientConfig, sharedClient } from './aws-clients.ts';
import { classifyAwsError } from './aws-errors.ts';

/** A role to act as in a target's account. */
export interface TargetRole {
  arn: string;
  externalId?: string | undefined;
}

/** Credentials are refreshed this long before they expire (a call may take a while). */
export const REFRESH_BEFORE_MS = 5 * 60_000;

/** A role session name: `smoke-gate-<run id>`, at most 64 of STS's allowed characters. */
export const sessionName = (runId: string): string =>
  `${CLI_NAME}-${runId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);

/** The one call of STS the roles need, injectable (a fake in tests). */
export type StsSend = (settings: AwsSettings, command: object) => Promise<unknown>;

/** STS answers in well under this; a stand-in that does not serve STS must not hold a run. */
const STS_CAP_MS = 10_000;

/** An STS client with the same region, credentials and endpoint. */
const createStsClient = (settings: AwsSettings): STSClient =>
  new STSClient({ ...clientConfig(settings), maxAttempts: 2 });

/** One line for an STS failure: its name and message, cut and escaped. */
export const stsError = (error: unknown): string =>
  error instanceof CouldNotJudgeError
    ? error.message
    : safeText(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 200);

/**
 * STS as every AWS call goes (callAws): a shared client, under the run's deadline, each call
 * capped; what a user must fix (a role that does not exist or does not trust the caller) in STS's
 * own words, one line.
 */
export const stsUnder =
  (deadline: Deadline): StsSend =>
  (settings, command) =>
    callAws(sharedClient('sts', settings, createStsClient), command, {
      what: `STS ${command.constructor.name.replace(/Command$/, '')}`,
      deadline,
      capMs: STS_CAP_MS,
      region: settings.region,
      profile: settings.profile,
      explain: (error) =>
        classifyAwsError(error) === 'configuration'
          ? new CouldNotJudgeError(stsError(error))
          : undefined,
    });

/** The roles and accounts of one run. */
export interface RoleCache {
  /** Credentials that act as `role`, from `base`: assumed once, refreshed before they expire. */
  credentialsFor(role: TargetRole, base: AwsSettings): AwsCredentialIdentityProvider;
  /** The account these settings act in, asked once per set of credentials; null if unknown. */
  accountOf(settings: AwsSettings): Promise<string | null>;
}

/**
 * Creates a run's role cache: `runId` names the sessions, STS is called under the run's
 * `deadline`; `now` and `send` are injectable.
 */
export function createRoleCache(options: {
  runId: string;
  deadline: Deadline;
  now?: () => number;
  send?: StsSend;
}): RoleCache {
  const now = options.now ?? Date.now;
  const send = options.send ?? stsUnder(options.deadline);
  const providers = new Map<string, AwsCredentialIdentityProvider>();
  const accounts = new Map<string, Promise<string | null>>();
  const baseKey = (base: AwsSettings) =>
    JSON.stringify([base.profile, base.endpoint, base.role?.arn, base.role?.externalId]);
  return {
    credentialsFor(role, base) {
      const key = JSON.stringify([role.arn, role.externalId, baseKey(base)]);
      const known = providers.get(key);
      if (known !== undefined) return known;
      let current: AwsCredentialIdentity | undefined;
      let pending: Promise<AwsCredentialIdentity> | undefined;
      const assume = async (): Promise<AwsCredentialIdentity> => {
        const answer = (await send(
          base,
          new AssumeRoleCommand({
            RoleArn: role.arn,
            RoleSessionName: sessionName(options.runId),
            ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
          }),
        )) as AssumeRoleCommandOutput;
        const c = answer.Credentials;
        if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
          throw new Error('STS returned no credentials');
        }
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: c.Expiration,
        };
      };
      const provider: AwsCredentialIdentityProvider = async () => {
        const fresh =
          current?.expiration === undefined ||
          current.expiration.getTime() - now() > REFRESH_BEFORE_MS;
        if (current !== undefined && fresh) return current;
        // One AssumeRole at a time for the role, however many targets ask at once.
        pending ??= assume().finally(() => {
          pending = undefined;
        });
        current = await pending;
        return current;
      };
      providers.set(key, provider);
      return provider;
    },
    accountOf(settings) {
      const key = baseKey(settings);
      let known = accounts.get(key);
      if (known === undefined) {
        known = send(settings, new GetCallerIdentityCommand({})).then(
          (answer) => (answer as GetCallerIdentityCommandOutput).Account ?? null,
          () => null,
        );
        accounts.set(key, known);
      }
      return known;
    },
  };
}

/**
 * `base` acting as `role`, assumed now (once per run through `roles`); with the one line why it
 * cannot be assumed, when it cannot.
 */
export async function asRole(
  base: AwsSettings,
  role: TargetRole,
  roles: RoleCache,
): Promise<{ aws: AwsSettings; problem?: string }> {
  const credentials = roles.credentialsFor(role, base);
  const aws = { ...base, role, credentials };
  try {
    await credentials();
    return { aws };
  } catch (error) {
    return { aws, problem: `role ${role.arn} could not be assumed: ${stsError(error)}` };
  }
}
