import { MANY_TARGETS_DEFAULTS } from '../core/defaults.ts';
import { OPTIONS, type OptionRange } from '../core/options.ts';

/** The help column: options on the left, their help from the one options table on the right. */
const COLUMN = 25;

/** One option's lines of `--help`: `-s, --stage <stage>` and its help, with its range if any. */
function optionLines(name: string): string[] {
  const option: { short?: string; value?: string; help: string; range?: OptionRange } =
    OPTIONS[name as keyof typeof OPTIONS];
  const flag = `${option.short === undefined ? '' : `-${option.short}, `}--${name}${option.value === undefined ? '' : ` ${option.value}`}`;
  const range =
    option.range === undefined
      ? ''
      : `, ${option.range.min}-${option.range.max} (default ${option.range.default})`;
  const help = `${option.help}${range}`.split('\n');
  return help.map((line, index) =>
    index === 0 ? `  ${flag.padEnd(COLUMN - 4)}  ${line}` : `${' '.repeat(COLUMN)}${line}`,
  );
}

/** The options of one section of `--help`, in the table's order. */
const section = (which: 'target' | 'options'): string =>
  Object.entries(OPTIONS)
    .filter(([, option]) => option.section === which)
    .flatMap(([name]) => optionLines(name))
    .join('\n');

/**
 * Every IAM action the CLI's read-only commands may need (verify, status, history, many targets),
 * as the verify role's policy grants them: held equal to the permissions table of
 * docs/use-the-gate.md and to .github/iam/verify-policy.json by tests/unit/gate-permissions.test.ts.
 */
export const VERIFY_ROLE_ACTIONS = [
  'cloudformation:DescribeStacks',
  'cloudformation:GetTemplate',
  'logs:FilterLogEvents',
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:GetObject',
  's3:GetObjectVersion',
  'kms:GetPublicKey',
  'kms:DescribeKey',
  'ssm:GetParameter',
  'cloudwatch:DescribeAlarms',
  'lambda:GetFunctionConfiguration',
  'lambda:GetAlias',
  'sts:AssumeRole',
] as const;

/** The actions, a few to a line. */
const actionLines = (): string => {
  const lines: string[] = [];
  for (let i = 0; i < VERIFY_ROLE_ACTIONS.length; i += 4) {
    lines.push(`  ${VERIFY_ROLE_ACTIONS.slice(i, i + 4).join(', ')}`);
  }
  return lines.join('\n');
};

/** `smoke-gate --help` (and `verify --help`), its options built from the one options table. */
export const USAGE = `Usage: smoke-gate verify (--url <url> --log-group <name> | --stage <stage> | --local) [options]
       smoke-gate verify (--stage <stage>... [--region <region>...] | --targets <file>) [options]
       smoke-gate status (--stage <stage>... [--region <region>...] | --targets <file>) [options]
       smoke-gate history --stage <stage> [options]
       smoke-gate records-key [--service <name>] [--region <region>] [options]
       smoke-gate init [--run] [--region <region>] [--account <id>] [--repository <owner/repo>]
       smoke-gate promote|abort --stage <stage> [options]

Proves a deploy works end to end: calls the health route with a fresh correlation id, then waits
for the function's structured log line with that id in CloudWatch Logs. Whatever the endpoint, the
log service or the clock do, it ends by its deadline with one of the exit codes below.

status reads a stage's continuous health: the heartbeat and failure alarms' states and the age
of the last heartbeat line (exit 0 healthy, 1 alarming or stale, 2 could not tell).

history lists the deployments still in the stage's deployment bucket, newest first: time,
commit, version, the gate's verdict, which one is live and which one a rollback would return to
now (exit 0, or 2 when it could not be read). Roll back to a commit with the framework:
serverless rollback --stage <stage> --commit <sha or prefix> (verified afterwards, like --timestamp).

records-key finds the service's records key once, by its alias alias/<service>-smoke-records,
and prints its pin for serverless.yml (custom.smokeTest.recordsKey: its ARN and the sha256 of
its public key). The gate then reads the key by that ARN only and checks its public key.

init, in a service's folder, writes every IAM policy and trust policy the gate needs for that
service (its name, region, account, repository, tag and bucket) into .github/iam, and prints the
commands left to run; init --run also makes the records key and pins it in serverless.yml.

promote and abort finish or undo a traffic shift left halfway (a bake interrupted): live whole
on the new version, or whole on the old one, in one alias update (docs/traffic.md).

Many targets, one run: every --stage in every --region, or the entries of --targets <file>
(YAML or JSON: a targets: list of {name?, stage, region?, service?} or {name?, url, logGroup,
region?}, at most ${MANY_TARGETS_DEFAULTS.maxTargets}). All run under the one deadline, route calls ${MANY_TARGETS_DEFAULTS.targetConcurrency} at a time, and
CloudWatch Logs calls share one budget per region (--logs-rate). One table, one JSON entry and
one JUnit suite per target; exit 1 if any failed, else 2 if any could not be judged, else 0.

Target (one of):
${section('target')}

Options:
${section('options')}

When GITHUB_STEP_SUMMARY is set (GitHub Actions), verify appends its table to the job summary.

Exit codes:
  0  verified: the route answered the contract and its log line arrived
  1  verification failed: endpoint down or wrong answer, or the log line missing by the deadline
     while CloudWatch Logs answered
  2  could not judge: bad or missing arguments, malformed URL, unknown region, no credentials,
     access denied, log group or stack not found, a lookup that outran the deadline, or the log
     service throttled or unreachable to the end

IAM permissions (read-only; on the service's stack, log group, deployment bucket, records key,
anchor parameter and function; sts:AssumeRole only for a target in another account):
${actionLines()}
`;

/** The exit codes every command shares. */
const EXIT_CODES = `Exit 2 (could not judge) is also bad or missing arguments, no credentials, access
denied, a missing stack, or the deadline passing first.`;

/** What `<command> --help` says of the commands other than verify: usage, what it does, its options. */
const COMMAND_HELP: Record<string, { usage: string; text: string; options: string[] }> = {
  status: {
    usage:
      'smoke-gate status (--stage <stage>... [--region <region>...] | --targets <file>) [options]',
    text: `Reads a stage's continuous health: the heartbeat and failure alarms' states, the age of the
last heartbeat line, and the gate's record of what is live (exit 0 healthy, 1 alarming, stale or
unverified, 2 could not tell).`,
    options: ['stage', 'region', 'targets', 'service', 'profile', 'role-arn', 'external-id'],
  },
  history: {
    usage: 'smoke-gate history --stage <stage> [options]',
    text: `Lists the deployments still in the stage's deployment bucket, newest first: time, commit,
version, the gate's verdict, which one is live and which one a rollback would return to now; in
the traffic mode each one's function version and where live and candidate point (exit 0, or 2
when it could not be read). Roll back with the framework:
npx serverless rollback --stage <stage> --commit <sha or prefix>.`,
    options: ['stage', 'service', 'region', 'profile', 'role-arn', 'external-id'],
  },
  'records-key': {
    usage: 'smoke-gate records-key [--service <name>] [--region <region>] [options]',
    text: `Finds the service's records key once, by its alias alias/<service>-smoke-records, and prints
its pin for serverless.yml (custom.smokeTest.recordsKey: its ARN and the sha256 of its public key).`,
    options: ['service', 'region', 'profile'],
  },
};

const shiftHelp = (action: 'promote' | 'abort') => ({
  usage: `smoke-gate ${action} --stage <stage> [options]`,
  text: `${action === 'promote' ? 'Finishes' : 'Undoes'} a shift of the traffic mode left halfway (a bake interrupted, or a gate
that died): live is made whole on the ${action === 'promote' ? 'new' : 'old'} version in one alias update. With no shift in
progress it changes nothing (exit 0). The deployment's record is not changed. Run it as the deploy
role (lambda:GetAlias and lambda:UpdateAlias on the function).`,
  options: ['stage', 'service', 'region', 'profile', 'role-arn', 'external-id'],
});
COMMAND_HELP.promote = shiftHelp('promote');
COMMAND_HELP.abort = shiftHelp('abort');

COMMAND_HELP.init = {
  usage:
    'smoke-gate init [--run] [--region <region>] [--account <id>] [--repository <owner/repo>] [options]',
  text: `Run in a service's folder. Reads its serverless.yml (service, provider.region, the tag that
carries the service's name, the deployment bucket, monitoring.deployRoleName) and writes every IAM
policy and trust policy the gate needs with those names, the region, the account and the
repository: deploy, verify, CloudFormation's role, the roles' boundary, member-account verify and
the records key's policy. Prints the commands left to run (the roles, the key). With --run, also
makes the records key and its alias, as the key's administrator, and pins it in serverless.yml
(custom.smokeTest.recordsKey); a key its alias already names is pinned, not made again. A file
that exists and differs is not overwritten without --force (exit 2, nothing written).`,
  options: [
    'run',
    'region',
    'account',
    'repository',
    'key-admin-role',
    'external-id',
    'out',
    'force',
    'profile',
  ],
};

/** The common options every command takes, after its own. */
const COMMON = ['endpoint-url', 'timeout', 'json', 'help'];

/** `smoke-gate <command> --help`: that command's own help; verify's is the whole usage. */
export function commandUsage(command: string | undefined): string {
  const help = command === undefined ? undefined : COMMAND_HELP[command];
  if (help === undefined) return USAGE;
  const extra = command === 'status' ? ['stale-after'] : [];
  const options = [...help.options, ...extra, ...COMMON].flatMap((name) => optionLines(name));
  return `Usage: ${help.usage}

${help.text}

Options:
${options.join('\n')}

${EXIT_CODES}
`;
}
