#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { DEFAULT_SERVICE_NAME } from '../config.ts';
import { type OfflineServer, startOffline } from './offline.ts';
import {
  createCloudFormationClient,
  createLogsClient,
  describeStackTargets,
  stackName,
} from './aws.ts';
import { cloudWatchLogSource } from './cloudwatch-log-source.ts';
import { ConfigurationError, EXIT_CONFIGURATION, EXIT_FAILED, EXIT_VERIFIED } from './errors.ts';
import type { LogSource } from './log-source.ts';
import { outputLogSource } from './output-log-source.ts';
import { createProgress } from './progress.ts';
import { formatJUnit, formatReport, palette } from './report.ts';
import { type VerifyReport, verifyDeployment } from './verify-deployment.ts';

export const USAGE = `Usage: petsage-smoke verify (--url <url> --log-group <name> | --stage <stage> | --local) [options]

Proves a deploy works end to end: calls the health route with a fresh correlation id, then waits
for the function's structured log line with that id in CloudWatch Logs.

Target (one of):
  --url <url>            full URL of the health route, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/health
  --stage <stage>        read the URL and log group from the outputs of stack <service>-<stage>
                         (CloudFormation DescribeStacks); --url and --log-group override them
  --local                start serverless-offline on free ports and verify against its output

Options:
  --log-group <name>     log group to search (default: stack output HealthLogGroupName, else
                         /aws/lambda/<service>-<stage>-health)
  --service <name>       service name (default ${DEFAULT_SERVICE_NAME})
  --region <region>      AWS region (default: AWS_REGION / profile)
  --profile <name>       AWS profile (default: AWS_PROFILE / the SDK credential chain)
  --endpoint-url <url>   CloudWatch Logs endpoint (default: AWS_ENDPOINT_URL_CLOUDWATCH_LOGS,
                         AWS_ENDPOINT_URL, else AWS)
  --timeout <seconds>    overall deadline (default 120)
  --json                 print exactly one JSON object on stdout; progress goes to stderr
  --junit <file>         also write JUnit XML, one testcase per step
  -h, --help             this help
  -v, --version          the version

Exit codes:
  0  verified: the route answered the contract and its log line arrived
  1  verification failed: endpoint down or wrong answer, or the log line missing or wrong by the deadline
  2  usage or configuration error: bad or missing arguments, malformed URL, no credentials,
     access denied, log group or stack not found

IAM permissions: logs:FilterLogEvents on the log group; cloudformation:DescribeStacks with --stage.
`;

/** Streams and environment of one CLI run; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

const parseCli = (argv: string[]) => {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        stage: { type: 'string' },
        local: { type: 'boolean' },
        'log-group': { type: 'string' },
        service: { type: 'string' },
        region: { type: 'string' },
        profile: { type: 'string' },
        'endpoint-url': { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        junit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new ConfigurationError(error instanceof Error ? error.message : String(error));
  }
};

const parseUrl = (value: string, flag: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${flag} "${value}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`${flag} "${value}" must be an http:// or https:// URL`);
  }
  return url.href;
};

const parseTimeout = (value: string | undefined): number => {
  if (value === undefined) return 120_000;
  const secondsValue = Number(value);
  if (!Number.isFinite(secondsValue) || secondsValue <= 0) {
    throw new ConfigurationError(`--timeout "${value}" must be a positive number of seconds`);
  }
  return Math.round(secondsValue * 1000);
};

type Values = ReturnType<typeof parseCli>['values'];

/** What to verify against: URL, log source, and what to stop afterwards. */
interface Target {
  url: string;
  logSource: LogSource;
  stop: () => Promise<void>;
}

const resolveTarget = async (values: Values, io: CliIo): Promise<Target> => {
  const service = values.service ?? DEFAULT_SERVICE_NAME;
  if (values.local) {
    if (values.url !== undefined || values.stage !== undefined) {
      throw new ConfigurationError('--local starts its own server: leave out --url and --stage');
    }
    io.stderr.write('Starting serverless-offline on free ports...\n');
    const server: OfflineServer = await startOffline({ cwd: PROJECT_DIR, stage: 'local' });
    return {
      url: `${server.baseUrl}/health`,
      logSource: outputLogSource({ lines: server.lines }),
      stop: server.stop,
    };
  }
  const aws = {
    region: values.region,
    profile: values.profile,
    logsEndpoint:
      values['endpoint-url'] === undefined
        ? undefined
        : parseUrl(values['endpoint-url'], '--endpoint-url'),
  };
  let url = values.url === undefined ? undefined : parseUrl(values.url, '--url');
  let logGroupName = values['log-group'];
  if (values.stage !== undefined && (url === undefined || logGroupName === undefined)) {
    const outputs = await describeStackTargets(
      createCloudFormationClient(aws),
      stackName(service, values.stage),
    );
    url ??=
      outputs.url === undefined
        ? undefined
        : parseUrl(outputs.url, 'stack output HealthEndpointUrl');
    logGroupName ??= outputs.logGroupName ?? `/aws/lambda/${service}-${values.stage}-health`;
  }
  if (url === undefined) {
    throw new ConfigurationError('no endpoint: pass --url <url>, --stage <stage> or --local');
  }
  if (logGroupName === undefined) {
    throw new ConfigurationError('no log group: pass --log-group <name> or --stage <stage>');
  }
  return {
    url,
    logSource: cloudWatchLogSource({ client: createLogsClient(aws), logGroupName }),
    stop: async () => undefined,
  };
};

/** Runs the CLI; resolves to the exit code and never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  const fail = (code: number, message: string): number => {
    if (json)
      io.stdout.write(`${JSON.stringify({ ok: false, error: { exitCode: code, message } })}\n`);
    io.stderr.write(`petsage-smoke: ${message}\n`);
    if (code === EXIT_CONFIGURATION) io.stderr.write("Run 'petsage-smoke --help' for usage.\n");
    return code;
  };
  let target: Target | undefined;
  try {
    const { values, positionals } = parseCli(argv);
    json = values.json === true;
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT_VERIFIED;
    }
    if (values.version) {
      io.stdout.write(`${packageJson.version}\n`);
      return EXIT_VERIFIED;
    }
    if (positionals.length !== 1 || positionals[0] !== 'verify') {
      throw new ConfigurationError(
        positionals.length === 0
          ? 'missing command: verify'
          : `unknown command "${positionals.join(' ')}"`,
      );
    }
    const timeoutMs = parseTimeout(values.timeout);
    target = await resolveTarget(values, io);
    const progress = createProgress({ stream: io.stderr });
    let report: VerifyReport;
    try {
      report = await verifyDeployment({
        url: target.url,
        logSource: target.logSource,
        timeoutMs,
        onProgress: (phase, detail) =>
          progress.update(
            phase === 'http' ? 'calling the route' : 'waiting for the log line',
            detail,
          ),
      });
    } finally {
      progress.done();
    }
    if (values.junit !== undefined) {
      try {
        await writeFile(values.junit, formatJUnit(report));
      } catch (error) {
        throw new ConfigurationError(`cannot write --junit file: ${(error as Error).message}`);
      }
    }
    const colours = palette(io.stdout.isTTY === true && !io.env.NO_COLOR);
    io.stdout.write(json ? `${JSON.stringify(report)}\n` : formatReport(report, colours));
    return report.ok ? EXIT_VERIFIED : EXIT_FAILED;
  } catch (error) {
    if (error instanceof ConfigurationError) return fail(EXIT_CONFIGURATION, error.message);
    return fail(
      EXIT_FAILED,
      `verification could not complete: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await target?.stop();
  }
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
