import { VERIFY_DEFAULTS as D, MANY_TARGETS_DEFAULTS, STATUS_DEFAULTS } from './defaults.ts';
import { CouldNotJudgeError } from './errors.ts';
import { safeText } from './safe-text.ts';

/** A numeric option's range, unit and default: checked in one place, with one wording. */
export interface OptionRange {
  min: number;
  max: number;
  default: number;
  unit: string;
  integer?: boolean;
}

/**
 * The one table of the gate's options: type (as Node's parseArgs reads it), the value's name and
 * the help text (`--help` is built from it), the section of `--help`, and for numbers their range
 * and default (every check of them, the plugin's schema and its `--timeout` help read it).
 */
export const OPTIONS = {
  url: {
    type: 'string',
    section: 'target',
    value: '<url>',
    help: 'full URL of the health route, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/health\n(no user:password@; the query string is redacted wherever the URL is printed)',
  },
  stage: {
    type: 'string',
    short: 's',
    multiple: true,
    section: 'target',
    value: '<stage>',
    help: 'read the URL and log group from the outputs of stack <service>-<stage>\n(CloudFormation DescribeStacks); --url and --log-group override them',
  },
  local: {
    type: 'boolean',
    section: 'target',
    help: 'start serverless-offline on free ports and verify against its output\n(the route path from serverless.yml; --path <path> overrides it)',
  },
  path: {
    type: 'string',
    section: 'options',
    value: '<path>',
    help: 'with --local: the route path to call',
  },
  contract: {
    type: 'string',
    section: 'options',
    value: '<file>',
    help: "what the route and the line must carry: a serverless.yml (its custom.smokeTest)\nor that map alone (default: the stack's template Metadata; with --local,\n./serverless.yml; else a 200 and a line with the correlation id)",
  },
  'log-group': {
    type: 'string',
    section: 'options',
    value: '<name>',
    help: 'log group to search (default: the stack output HealthLogGroupName)',
  },
  service: {
    type: 'string',
    section: 'options',
    value: '<name>',
    help: 'service name (default: the service: of ./serverless.yml; required elsewhere)',
  },
  region: {
    type: 'string',
    short: 'r',
    multiple: true,
    section: 'options',
    value: '<region>',
    help: "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region);\nrepeat it to verify each --stage in each region; with --targets, the\nregion of entries that name none",
  },
  targets: {
    type: 'string',
    section: 'options',
    value: '<file>',
    help: 'verify (or status) every target the file lists',
  },
  'logs-rate': {
    type: 'string',
    section: 'options',
    value: '<n>',
    help: 'CloudWatch Logs calls per second per region, shared by all targets\nthere',
    range: {
      min: 1,
      max: MANY_TARGETS_DEFAULTS.maxLogsRatePerSecond,
      default: MANY_TARGETS_DEFAULTS.logsRatePerSecond,
      unit: 'calls per second',
      integer: true,
    },
  },
  profile: {
    type: 'string',
    section: 'options',
    value: '<name>',
    help: 'AWS profile (alias --aws-profile; default: AWS_PROFILE / the SDK chain)',
  },
  'aws-profile': { type: 'string', section: 'hidden', help: 'alias of --profile' },
  'role-arn': {
    type: 'string',
    section: 'options',
    value: '<arn>',
    help: "an IAM role to assume for the target(s), in the stage's own account\n(from --profile's credentials); targets files give roleArn per entry",
  },
  'external-id': {
    type: 'string',
    section: 'options',
    value: '<id>',
    help: 'the external id the role of --role-arn asks for',
  },
  'endpoint-url': {
    type: 'string',
    section: 'options',
    value: '<url>',
    help: 'one endpoint for CloudWatch Logs, CloudFormation, CloudWatch and S3, e.g.\na local stand-in (default: AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / _CLOUDFORMATION,\nAWS_ENDPOINT_URL, else AWS); https, or http to this machine only',
  },
  timeout: {
    type: 'string',
    section: 'options',
    value: '<seconds>',
    help: 'one deadline for the whole run',
    range: {
      min: D.minTimeoutSeconds,
      max: D.maxTimeoutSeconds,
      default: D.timeoutSeconds,
      unit: 'seconds',
    },
  },
  'stale-after': {
    type: 'string',
    section: 'options',
    value: '<min>',
    help: 'status: the last heartbeat may be this old',
    range: {
      min: STATUS_DEFAULTS.minStaleAfterMinutes,
      max: STATUS_DEFAULTS.maxStaleAfterMinutes,
      default: STATUS_DEFAULTS.staleAfterMinutes,
      unit: 'minutes',
    },
  },
  json: {
    type: 'boolean',
    section: 'options',
    help: 'print exactly one JSON object on stdout; progress goes to stderr',
  },
  junit: {
    type: 'string',
    section: 'options',
    value: '<file>',
    help: 'also write JUnit XML (checked writable first; written on errors too;\none testsuite per target)',
  },
  account: {
    type: 'string',
    section: 'init',
    value: '<id>',
    help: "init: the service's AWS account (default: the caller's, from STS)",
  },
  repository: {
    type: 'string',
    section: 'init',
    value: '<owner/repo>',
    help: 'init: the GitHub repository whose Actions deploy and verify (default:\nGITHUB_REPOSITORY, else the origin remote of the folder)',
  },
  out: {
    type: 'string',
    section: 'init',
    value: '<dir>',
    help: 'init: where the policies are written (default: .github/iam)',
  },
  'key-admin-role': {
    type: 'string',
    section: 'init',
    value: '<name>',
    help: 'init: the one role that administers the records key (default:\n<service>-records-key-admin)',
  },
  run: {
    type: 'boolean',
    section: 'init',
    help: "init: also create the records key and its alias (as the key's\nadministrator) and pin it in serverless.yml",
  },
  force: {
    type: 'boolean',
    section: 'init',
    help: 'init: overwrite policy files that differ from what it would write',
  },
  help: { type: 'boolean', short: 'h', section: 'options', help: 'this help' },
  version: { type: 'boolean', short: 'v', section: 'options', help: 'the version' },
} as const satisfies Record<
  string,
  {
    type: 'string' | 'boolean';
    short?: string;
    multiple?: boolean;
    section: 'target' | 'options' | 'init' | 'hidden';
    value?: string;
    help: string;
    range?: OptionRange;
  }
>;

/** The options that take a number. */
export type RangedOption = {
  [K in keyof typeof OPTIONS]: (typeof OPTIONS)[K] extends { range: OptionRange } ? K : never;
}[keyof typeof OPTIONS];

/** "1-50 (default 2)": a ranged option's range and default, for help texts. */
export const rangeText = (name: RangedOption): string => {
  const { min, max, default: fallback } = OPTIONS[name].range;
  return `${min}-${max} (default ${fallback})`;
};

/**
 * Reads a ranged option (a flag's string or a config file's number, named by `source`): its
 * default when unset, else a number in its range, or one CouldNotJudgeError in one wording.
 */
export function rangedValue(name: RangedOption, value: unknown, source = `--${name}`): number {
  const range: OptionRange = OPTIONS[name].range;
  if (value === undefined) return range.default;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  const whole = range.integer === true;
  if (
    !Number.isFinite(number) ||
    (whole && !Number.isInteger(number)) ||
    number < range.min ||
    number > range.max
  ) {
    throw new CouldNotJudgeError(
      `${source} ${JSON.stringify(safeText(String(value), 40))} must be a ${whole ? 'whole ' : ''}number of ${range.unit} from ${range.min} to ${range.max}`,
    );
  }
  return number;
}
