#!/usr/bin/env node
import packageJson from '../../package.json' with { type: 'json' };
import { runFleetStatus, runFleetVerify } from './cli-fleet.ts';
import {
  awsSettingsOf,
  isFleet,
  logsRateOf,
  oneOf,
  parseCli,
  staleAfterOf,
  targetOf,
  type Values,
} from './cli-options.ts';
import { type CliIo, coloursOf, notice, type Out, outputOf, readOrFail } from './cli-output.ts';
import { createDeadline, type Deadline } from './deadline.ts';
import { EXIT_CONFIGURATION, EXIT_FAILED, EXIT_VERIFIED, VERIFY_DEFAULTS } from './defaults.ts';
import { ConfigurationError } from './errors.ts';
import { verifyMarkdown } from './fleet-report.ts';
import { appendJobSummary } from './job-summary.ts';
import { createProgress } from './progress.ts';
import { formatHistory, formatReport, formatStatus } from './report.ts';
import { runVerification } from './run-verification.ts';
import { safeText } from './safe-text.ts';
import { unicodeOk } from './sparkline.ts';
import type { StatusRequest } from './status.ts';
import { parseTimeoutSeconds } from './timeout.ts';
import { USAGE } from './usage.ts';

export type { CliIo } from './cli-output.ts';
export { USAGE } from './usage.ts';

const D = VERIFY_DEFAULTS;

/** `petsage-smoke verify`: the one road (runVerification), with progress on stderr. */
async function runVerify(values: Values, out: Out, deadline: Deadline): Promise<number> {
  if (isFleet(values)) return runFleetVerify(values, out, deadline);
  logsRateOf(values); // One target has no shared budget, but a bad --logs-rate is still refused.
  const { io } = out;
  const request = {
    target: targetOf(values),
    aws: awsSettingsOf(values, io.env),
    env: io.env,
    deadline,
    junitPath: values.junit,
    onNotice: notice(io),
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
  const { target } = request;
  const name =
    target.kind === 'local' ? 'local' : (target.stage ?? outcome.report?.url ?? target.url);
  if (outcome.badRequest !== true) {
    const { report, error } = outcome;
    const one = { name: name ?? 'verify', region: request.aws.region, report, error };
    await appendJobSummary(io.env, () => verifyMarkdown(one), notice(io));
  }
  if (outcome.report === undefined) {
    return out.fail(outcome.exitCode, outcome.error ?? 'failed', outcome.badRequest);
  }
  out.write(formatReport(outcome.report, coloursOf(io)), outcome.report);
  return outcome.exitCode;
}

/** `petsage-smoke history`: the stage's deployments, which is live, what a rollback restores. */
async function runHistory(values: Values, out: Out, deadline: Deadline): Promise<number> {
  const { io } = out;
  const stage = oneOf(values.stage, '--stage', 'history');
  if (stage === undefined) throw new ConfigurationError('history needs --stage <stage>');
  if (values.targets !== undefined)
    throw new ConfigurationError('history reads one stage: leave out --targets');
  const request = {
    stage,
    service: values.service ?? D.service,
    aws: awsSettingsOf(values, io.env),
    env: io.env,
    deadline,
  };
  // Loaded here: only history reads S3, and each SDK client costs memory to load.
  const { checkHistory } = await import('./history.ts');
  const read = await readOrFail(out, 'history', () => checkHistory(request));
  if ('code' in read) return read.code;
  out.write(formatHistory(read.report, coloursOf(io)), read.report);
  return EXIT_VERIFIED;
}

/** `petsage-smoke status`: the same deadline, AWS settings and exit codes as verify. */
async function runStatus(values: Values, out: Out, deadline: Deadline): Promise<number> {
  if (isFleet(values)) return runFleetStatus(values, out, deadline);
  const { io } = out;
  const stage = oneOf(values.stage, '--stage', 'status');
  if (stage === undefined) throw new ConfigurationError('status needs --stage <stage>');
  const request: StatusRequest = {
    stage,
    service: values.service ?? D.service,
    aws: awsSettingsOf(values, io.env),
    env: io.env,
    deadline,
    staleAfterMs: staleAfterOf(values) * 60_000,
    now: io.now,
  };
  // Loaded here: only status reads CloudWatch alarms.
  const { checkStatus } = await import('./status.ts');
  const read = await readOrFail(out, 'status', () => checkStatus(request));
  if ('code' in read) return read.code;
  const chart = { unicode: unicodeOk(io.env), width: io.stdout.columns ?? 80 };
  out.write(formatStatus(read.report, coloursOf(io), chart), read.report);
  return read.report.ok ? EXIT_VERIFIED : EXIT_FAILED;
}

const COMMANDS = { verify: runVerify, status: runStatus, history: runHistory } as const;

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
          ? 'missing command: verify, status or history'
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
