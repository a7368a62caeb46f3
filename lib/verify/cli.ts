#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { awsSettingsFrom } from './aws-clients.ts';
import { closest } from './closest.ts';
import { createDeadline, type Deadline } from './deadline.ts';
import { EXIT_CONFIGURATION, EXIT_FAILED, EXIT_VERIFIED, VERIFY_DEFAULTS } from './defaults.ts';
import { ConfigurationError } from './errors.ts';
import { createProgress } from './progress.ts';
import { errorReport, formatReport, formatStatus, palette } from './report.ts';
import { runVerification, type VerificationTarget } from './run-verification.ts';
import { safeText } from './safe-text.ts';
import { checkStatus, type StatusReport, type StatusRequest } from './status.ts';
import { parseRouteUrl } from './targets.ts';
import { parseTimeoutSeconds } from './timeout.ts';

const D = VERIFY_DEFAULTS;

export const USAGE = `Usage: petsage-smoke verify (--url <url> --log-group <name> | --stage <stage> | --local) [options]
       petsage-smoke status --stage <stage> [options]

Proves a deploy works end to end: calls the health route with a fresh correlation id, then waits
for the function's structured log line with that id in CloudWatch Logs. Whatever the endpoint, the
log service or the clock do, it ends by its deadline with one of the exit codes below.

status reads a stage's continuous health: the heartbeat and failure alarms' states and the age
of the last heartbeat line (exit 0 healthy, 1 alarming or stale, 2 could not tell).

Target (one of):
  --url <url>            full URL of the health route, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/health
                         (no user:password@; the query string is redacted wherever the URL is printed)
  -s, --stage <stage>    read the URL and log group from the outputs of stack <service>-<stage>
                         (CloudFormation DescribeStacks); --url and --log-group override them
  --local                start serverless-offline on free ports and verify against its output
                         (the route path from serverless.yml; --path <path> overrides it)

Options:
  --log-group <name>     log group to search (default: stack output HealthLogGroupName, else
                         /aws/lambda/<service>-<stage>-health)
  --service <name>       service name (default ${D.service})
  -r, --region <region>  AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
  --profile <name>       AWS profile (alias --aws-profile; default: AWS_PROFILE / the SDK chain)
  --endpoint-url <url>   CloudWatch Logs and CloudFormation endpoint, e.g. a local moto (default:
                         AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / _CLOUDFORMATION, AWS_ENDPOINT_URL, else AWS)
  --timeout <seconds>    one deadline for the whole run, ${D.minTimeoutSeconds}-${D.maxTimeoutSeconds} (default ${D.timeoutSeconds})
  --stale-after <min>    status: the last heartbeat may be this old (default ${D.staleAfterMinutes})
  --json                 print exactly one JSON object on stdout; progress goes to stderr
  --junit <file>         also write JUnit XML (checked writable first; written on errors too)
  -h, --help             this help
  -v, --version          the version

Exit codes:
  0  verified: the route answered the contract and its log line arrived
  1  verification failed: endpoint down or wrong answer, or the log line missing by the deadline
     while CloudWatch Logs answered
  2  could not judge: bad or missing arguments, malformed URL, unknown region, no credentials,
     access denied, log group or stack not found, a lookup that outran the deadline, or the log
     service throttled or unreachable to the end

IAM permissions: logs:FilterLogEvents on the log group; cloudformation:DescribeStacks with --stage;
cloudwatch:DescribeAlarms for status.
`;

/** Streams and environment of one CLI run; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

const OPTIONS = {
  url: { type: 'string' },
  stage: { type: 'string', short: 's' },
  local: { type: 'boolean' },
  path: { type: 'string' },
  'log-group': { type: 'string' },
  service: { type: 'string' },
  region: { type: 'string', short: 'r' },
  profile: { type: 'string' },
  'aws-profile': { type: 'string' },
  'endpoint-url': { type: 'string' },
  timeout: { type: 'string' },
  'stale-after': { type: 'string' },
  json: { type: 'boolean' },
  junit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const parseCli = (argv: string[]) => {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2}[^']*)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const name = unknown.replace(/^-+/, '').split('=')[0] ?? '';
      const suggestion = closest(name, Object.keys(OPTIONS));
      throw new ConfigurationError(
        `unknown option ${JSON.stringify(safeText(unknown, 60))}${suggestion === undefined ? '' : ` (did you mean --${suggestion}?)`}`,
      );
    }
    throw new ConfigurationError(safeText(message.split('\n')[0] ?? message));
  }
};

type Values = ReturnType<typeof parseCli>['values'];

const targetOf = (values: Values): VerificationTarget => {
  if (values.local) {
    if (values.url !== undefined || values.stage !== undefined) {
      throw new ConfigurationError('--local starts its own server: leave out --url and --stage');
    }
    return { kind: 'local', cwd: PROJECT_DIR, path: values.path };
  }
  if (values.path !== undefined) throw new ConfigurationError('--path goes with --local');
  // Checked once, by runVerification, before any call.
  return {
    kind: 'aws',
    url: values.url,
    logGroupName: values['log-group'],
    stage: values.stage,
    service: values.service ?? D.service,
  };
};

const awsSettingsOf = (values: Values, env: NodeJS.ProcessEnv) => {
  if (values.profile !== undefined && values['aws-profile'] !== undefined) {
    throw new ConfigurationError('pass --profile or --aws-profile, not both');
  }
  const endpoint =
    values['endpoint-url'] === undefined
      ? undefined
      : parseRouteUrl(values['endpoint-url'], '--endpoint-url', 'endpoint');
  return awsSettingsFrom(
    { region: values.region, profile: values.profile ?? values['aws-profile'], endpoint },
    env,
  );
};

const staleAfterOf = (values: Values): number => {
  const { minStaleAfterMinutes: min, maxStaleAfterMinutes: max } = D;
  const minutes =
    values['stale-after'] === undefined ? D.staleAfterMinutes : Number(values['stale-after']);
  if (!Number.isFinite(minutes) || minutes < min || minutes > max) {
    throw new ConfigurationError(`--stale-after must be a number of minutes from ${min} to ${max}`);
  }
  return minutes;
};

/** One CLI run's output: the report, or the one-line error (and the JSON object with --json). */
interface Out {
  io: CliIo;
  json: boolean;
  fail(code: number, message: string, usage?: boolean): number;
  write(human: string, machine: unknown): void;
}

const outputOf = (io: CliIo, json: boolean): Out => ({
  io,
  json,
  fail(code, message, usage = false) {
    if (json) io.stdout.write(`${JSON.stringify(errorReport(code, message))}\n`);
    io.stderr.write(`petsage-smoke: ${message}\n`);
    if (usage) io.stderr.write("Run 'petsage-smoke --help' for usage.\n");
    return code;
  },
  write(human, machine) {
    io.stdout.write(json ? `${JSON.stringify(machine)}\n` : human);
  },
});

const coloursOf = (io: CliIo) => palette(io.stdout.isTTY === true && !io.env.NO_COLOR);

/** `petsage-smoke verify`: the one road (runVerification), with progress on stderr. */
async function runVerify(values: Values, out: Out, deadline: Deadline): Promise<number> {
  const { io } = out;
  const request = {
    target: targetOf(values),
    aws: awsSettingsOf(values, io.env),
    env: io.env,
    deadline,
    junitPath: values.junit,
    onNotice: (text: string) => io.stderr.write(`${text}\n`),
  };
  const progress = createProgress({ stream: io.stderr, now: io.now });
  let outcome: Awaited<ReturnType<typeof runVerification>>;
  try {
    outcome = await runVerification({
      ...request,
      onProgress: (phase, detail) =>
        progress.update(
          phase === 'http' ? 'calling the route' : 'waiting for the log line',
          detail,
        ),
    });
  } finally {
    progress.done();
  }
  if (outcome.junitError !== undefined) io.stderr.write(`petsage-smoke: ${outcome.junitError}\n`);
  if (outcome.report === undefined) {
    return out.fail(outcome.exitCode, outcome.error ?? 'failed', outcome.badRequest);
  }
  out.write(formatReport(outcome.report, coloursOf(io)), outcome.report);
  return outcome.exitCode;
}

/** `petsage-smoke status`: the same deadline, AWS settings and exit codes as verify. */
async function runStatus(values: Values, out: Out, deadline: Deadline): Promise<number> {
  const { io } = out;
  if (values.stage === undefined) throw new ConfigurationError('status needs --stage <stage>');
  const request: StatusRequest = {
    stage: values.stage,
    service: values.service ?? D.service,
    aws: awsSettingsOf(values, io.env),
    env: io.env,
    deadline,
    staleAfterMs: staleAfterOf(values) * 60_000,
    now: io.now,
  };
  let report: StatusReport;
  try {
    report = await checkStatus(request);
  } catch (error) {
    return out.fail(
      EXIT_CONFIGURATION,
      error instanceof ConfigurationError
        ? error.message
        : `status could not complete: ${safeText(error instanceof Error ? error.message : error)}`,
    );
  }
  out.write(formatStatus(report, coloursOf(io)), report);
  return report.ok ? EXIT_VERIFIED : EXIT_FAILED;
}

const COMMANDS = { verify: runVerify, status: runStatus } as const;

/** Runs the CLI; resolves to the exit code and never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const now = io.now ?? Date.now;
  // The one deadline starts here, before anything else can take time.
  const started = now();
  let out = outputOf(io, argv.includes('--json'));
  try {
    const { values, positionals } = parseCli(argv);
    out = outputOf(io, values.json === true);
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT_VERIFIED;
    }
    if (values.version) {
      io.stdout.write(`${packageJson.version}\n`);
      return EXIT_VERIFIED;
    }
    const [name, ...rest] = positionals;
    const command = COMMANDS[name as keyof typeof COMMANDS];
    if (command === undefined || rest.length > 0) {
      throw new ConfigurationError(
        positionals.length === 0
          ? 'missing command: verify or status'
          : `unknown command ${JSON.stringify(safeText(positionals.join(' '), 60))}`,
      );
    }
    const timeoutSeconds = parseTimeoutSeconds(values.timeout, '--timeout');
    const deadline = createDeadline(started + timeoutSeconds * 1000, now);
    return await command(values, out, deadline);
  } catch (error) {
    // Only the request's own checks throw here: a usage error, with the pointer to --help.
    return out.fail(EXIT_CONFIGURATION, (error as Error).message, true);
  }
}

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  // Exit now: a credential process or socket that outran the deadline must not keep us alive.
  process.stdout.write('', () => process.exit(code));
}
