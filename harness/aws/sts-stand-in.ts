import { randomBytes } from 'node:crypto';

/** The account a stand-in's base credentials act in (moto's default account too). */
export const BASE_ACCOUNT = '123456789012';

/** STS as the logs stand-in serves it: the roles it knows and the accounts of its keys. */
export interface StsStandIn {
  /** A role that can be assumed; with `externalId`, only by a caller that passes it. */
  addRole(roleArn: string, externalId?: string): void;
  /** The account an access key acts in: an assumed role's, else the base account. */
  accountOfKey(accessKeyId: string): string;
  /** Whether a request body is an STS call (the query protocol's `Action=`). */
  serves(body: string): boolean;
  /** Answers an STS call: its status and XML body. */
  answer(accessKeyId: string, body: string): { status: number; xml: string };
  /** AssumeRole and GetCallerIdentity calls so far, answered or refused. */
  counts(): { assumeRole: number; getCallerIdentity: number };
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Text for an XML element: what a caller sent is echoed escaped. */
const escaped = (text: string) =>
  text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`).slice(0, 300);

const refusal = (status: number, code: string, message: string) => ({
  status,
  xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escaped(message)}</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`,
});

const result = (action: string, inner: string) => ({
  status: 200,
  xml: `<${action}Response xmlns="${NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></${action}Response>`,
});

/** `arn:aws:iam::<account>:role/<name>`, the only role ARNs the stand-in knows. */
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@/-]{1,64})$/;

/**
 * The two STS calls the CLI makes for stages in other accounts, over the query protocol:
 * AssumeRole (refused, as STS refuses, for a role it does not know or a wrong external id) and
 * GetCallerIdentity (the account of the signing key). Credentials last an hour by `now`. Not
 * proven by it: trust policies, role chaining limits, session policies and tags, STS regional
 * endpoints, the signature itself (not checked).
 */
export function createStsStandIn(options: { now: () => number }): StsStandIn {
  const roles = new Map<string, string | undefined>();
  const keys = new Map<string, { account: string; arn: string }>();
  const counts = { assumeRole: 0, getCallerIdentity: 0 };

  const assumeRole = (form: URLSearchParams) => {
    counts.assumeRole++;
    const roleArn = form.get('RoleArn') ?? '';
    const session = form.get('RoleSessionName') ?? '';
    const match = ROLE_ARN.exec(roleArn);
    if (match === null || !roles.has(roleArn)) {
      return refusal(403, 'AccessDenied', `Not authorized to perform sts:AssumeRole on ${roleArn}`);
    }
    if (roles.get(roleArn) !== (form.get('ExternalId') ?? undefined)) {
      return refusal(403, 'AccessDenied', 'The external id does not match the trust policy');
    }
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
      return refusal(400, 'ValidationError', 'RoleSessionName does not satisfy its constraint');
    }
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const arn = `arn:aws:sts::${match[1]}:assumed-role/${match[2]}/${session}`;
    keys.set(accessKeyId, { account: match[1] as string, arn });
    const expiration = new Date(options.now() + 3_600_000).toISOString();
    return result(
      'AssumeRole',
      `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${randomBytes(20).toString('hex')}</SecretAccessKey><SessionToken>${randomBytes(32).toString('base64')}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROASTANDIN:${session}</AssumedRoleId><Arn>${arn}</Arn></AssumedRoleUser>`,
    );
  };

  const accountOfKey = (accessKeyId: string) => keys.get(accessKeyId)?.account ?? BASE_ACCOUNT;

  return {
    addRole: (roleArn, externalId) => roles.set(roleArn, externalId),
    accountOfKey,
    serves: (body) => /(^|&)Action=\w+/.test(body),
    answer(accessKeyId, body) {
      const form = new URLSearchParams(body);
      const action = form.get('Action');
      if (action === 'AssumeRole') return assumeRole(form);
      if (action === 'GetCallerIdentity') {
        counts.getCallerIdentity++;
        const account = accountOfKey(accessKeyId);
        const arn = keys.get(accessKeyId)?.arn ?? `arn:aws:iam::${account}:user/ci`;
        return result(
          'GetCallerIdentity',
          `<Arn>${arn}</Arn><UserId>AIDASTANDIN</UserId><Account>${account}</Account>`,
        );
      }
      return refusal(400, 'InvalidAction', 'only AssumeRole and GetCallerIdentity are stood in');
    },
    counts: () => ({ ...counts }),
  };
}
