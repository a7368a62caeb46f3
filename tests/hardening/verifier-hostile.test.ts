// The verifier against a hostile endpoint and a hostile CloudWatch Logs / CloudFormation API of
// the test's own (node:http on 127.0.0.1), driving the CLI as a subprocess. What these stand-ins
// do not prove: AWS's real error shapes beyond the JSON protocol's `__type`, and real DNS.
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS_ENV } from '../../harness/aws/moto.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { type CliRun, runCliProcess } from '../helpers/cli.ts';
import {
  answerLogs,
  type HostileServer,
  healthAnswer,
  logsError,
  smokeLine,
  startHostileServer,
} from '../helpers/hostile-server.ts';

const SECRET = 'hunter2-s3cr3t';
const GROUP = '/aws/lambda/petsage-smoke-test-test-health';
/** Raw characters that must never reach a terminal or a JUnit file. */
const RAW_UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/;

let servers: HostileServer[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  servers = [];
});

const serve = async (...args: Parameters<typeof startHostileServer>) => {
  const server = await startHostileServer(...args);
  servers.push(server);
  return server;
};

/** A CloudWatch Logs API that returns the smoke line of each searched id, at `lineTime`. */
const logsWithLine = (lineTime: () => number = Date.now) =>
  serve((_req, res, body) => {
    const { filterPattern, startTime } = JSON.parse(body) as {
      filterPattern: string;
      startTime: number;
    };
    const id = filterPattern.replaceAll('"', '');
    const timestamp = lineTime();
    // Like CloudWatch: nothing older than startTime is returned.
    const events =
      timestamp >= startTime
        ? [
            {
              logStreamName: '2026/11/23/[$LATEST]abc',
              timestamp,
              ingestionTime: timestamp + 500,
              message: smokeLine(id, { timestamp: new Date(timestamp).toISOString() }),
            },
          ]
        : [];
    answerLogs(res, 200, { events, searchedLogStreams: [] });
  });

const verify = (url: string, logs: string, seconds: number, extra: string[] = []) =>
  runCliProcess(
    [
      'verify',
      '--url',
      url,
      '--log-group',
      GROUP,
      '--endpoint-url',
      logs,
      '--timeout',
      String(seconds),
      // This service's contract: the body and the line are judged as after its deploys.
      '--contract',
      join(PROJECT_DIR, 'serverless.yml'),
      ...extra,
    ],
    MOTO_CREDENTIALS_ENV,
    { measureMemory: true },
  );

const allOutput = (run: CliRun) => run.stdout + run.stderr;

describe('the verifier against a hostile endpoint', () => {
  it('aborts an endless 200 body at the cap: exit 1 at once, bounded memory', async () => {
    // Prepare
    const endpoint = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/health+json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (res.write(chunk)) {
          if (res.destroyed) return;
        }
        res.once('drain', pump);
      };
      pump();
    });
    const logs = await logsWithLine();
    // Act
    const run = await verify(`${endpoint.url}/health`, logs.url, 20, ['--json']);
    // Assess
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.http.problems.join('\n')).toMatch(/larger than 65536 bytes/);
    expect(run.seconds).toBeLessThan(10);
    expect(run.maxRssKb).toBeLessThan(300 * 1024);
    expect(logs.requests).toHaveLength(0);
  });

  it('caps a gzip bomb by its decompressed size, exit 1, bounded memory', async () => {
    // Prepare: gzip of endless zeros, sent although the verifier asked for identity.
    const endpoint = await serve((req, res) => {
      expect(req.headers['accept-encoding']).toBe('identity');
      res.writeHead(200, { 'content-type': 'application/health+json', 'content-encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(res);
      const zeros = Buffer.alloc(1024 * 1024);
      const pump = () => {
        while (gzip.write(zeros)) {
          if (res.destroyed) return;
        }
        gzip.once('drain', pump);
      };
      res.on('close', () => gzip.destroy());
      pump();
    });
    const logs = await logsWithLine();
    // Act
    const run = await verify(`${endpoint.url}/health`, logs.url, 20, ['--json']);
    // Assess
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).http.problems.join('\n')).toMatch(/larger than 65536 bytes/);
    expect(run.maxRssKb).toBeLessThan(300 * 1024);
  });

  it('judges deeply nested JSON once and prints a bounded report', async () => {
    // Prepare
    const depth = 30_000;
    const endpoint = await serve((req, res) =>
      res
        .writeHead(200, {
          'content-type': 'application/health+json',
          'x-correlation-id': String(req.headers['x-correlation-id']),
        })
        .end(`${'['.repeat(depth)}${']'.repeat(depth)}`),
    );
    const logs = await logsWithLine();
    // Act
    const run = await verify(`${endpoint.url}/health`, logs.url, 20, ['--json']);
    // Assess
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout.length).toBeLessThan(5_000);
  });

  it('refuses credentials in the URL (exit 2) and never prints them', async () => {
    // Act
    const run = await verify(`http://user:${SECRET}@127.0.0.1:9/health`, 'http://127.0.0.1:9', 5);
    // Assess
    expect(run.code).toBe(2);
    expect(allOutput(run)).toMatch(/must not carry credentials/);
    expect(allOutput(run)).not.toContain(SECRET);
  });

  it('redacts the query string in the report, progress and JUnit', async () => {
    // Prepare
    const endpoint = await serve((_req, res) => res.writeHead(503).end('warming up'));
    const junit = join(dir, 'redacted.xml');
    // Act
    const run = await verify(`${endpoint.url}/health?token=${SECRET}`, 'http://127.0.0.1:9', 3, [
      '--junit',
      junit,
    ]);
    // Assess
    expect(run.code).toBe(1);
    const xmlText = await readFile(junit, 'utf8');
    expect(allOutput(run)).toContain('?<redacted>');
    expect(allOutput(run) + xmlText).not.toContain(SECRET);
  });

  it('escapes control, bidi and non-characters from body, headers and log lines everywhere', async () => {
    // Prepare
    const evil = 'ok\u001b[2J\u009b31m\u202etxt.exe\ufffe\u0007';
    const endpoint = await serve((req, res) =>
      healthAnswer(req, res, { headers: { 'content-type': 'text/plain' }, body: { status: evil } }),
    );
    const logs = await logsWithLine();
    const junit = join(dir, 'escaped.xml');
    // Act
    const human = await verify(`${endpoint.url}/health`, logs.url, 10, ['--junit', junit]);
    const json = await verify(`${endpoint.url}/health`, logs.url, 10, ['--json']);
    // Assess
    expect(human.code).toBe(1);
    expect(json.code).toBe(1);
    expect(allOutput(human)).toMatch(/\\u(001b|\{1b\})\[2J/);
    expect(allOutput(human)).not.toMatch(RAW_UNSAFE);
    expect(JSON.parse(json.stdout).http.problems.join('\n')).not.toMatch(RAW_UNSAFE);
    const parsed = spawnSync('python3', [
      '-c',
      'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1]); print("well-formed")',
      junit,
    ]);
    expect(String(parsed.stdout).trim(), String(parsed.stderr)).toBe('well-formed');
  });

  it('escapes hostile log lines and caps the list of rejected lines', async () => {
    // Prepare: 40 decoys with raw control characters, never the real line.
    const endpoint = await serve((req, res) => healthAnswer(req, res));
    const logs = await serve((_req, res, body) => {
      const id = (JSON.parse(body) as { filterPattern: string }).filterPattern.replaceAll('"', '');
      const events = Array.from({ length: 40 }, (_, i) => ({
        logStreamName: `stream\u001b]0;pwned\u0007-${i}`,
        timestamp: Date.now(),
        ingestionTime: Date.now(),
        message: smokeLine(id, { event: `evil-${i}\u202e\u001b[31m` }),
      }));
      answerLogs(res, 200, { events });
    });
    // Act
    const run = await verify(`${endpoint.url}/health`, logs.url, 3, ['--json']);
    // Assess
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.log.rejected).toHaveLength(11);
    expect(JSON.stringify(report)).not.toMatch(RAW_UNSAFE);
    expect(run.stderr).not.toMatch(RAW_UNSAFE);
  });

  it('ends a 404 at once without polling the logs, with a hint', async () => {
    // Prepare
    const endpoint = await serve((_req, res) => res.writeHead(404).end('{"message":"Not Found"}'));
    const logs = await logsWithLine();
    // Act
    const run = await verify(`${endpoint.url}/health`, logs.url, 60);
    // Assess
    expect(run.code).toBe(1);
    expect(run.seconds).toBeLessThan(10);
    expect(run.stdout).toMatch(/hint: 404/);
    expect(logs.requests).toHaveLength(0);
  });
});

describe('the verifier against a hostile AWS', () => {
  it('keeps CloudWatch Logs at 2 calls a second under a throttling storm and says so (exit 2)', async () => {
    // Prepare
    const endpoint = await serve((req, res) => healthAnswer(req, res));
    const logs = await serve((_req, res) =>
      logsError(res, 400, 'ThrottlingException', 'Rate exceeded'),
    );
    // Act
    const run = await verify(`${endpoint.url}/health`, logs.url, 6, ['--json']);
    // Assess
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.verdict).toBe('inconclusive');
    expect(report.log.problems.join('\n')).toMatch(/throttled \d+ time/);
    const times = logs.requests.map((r) => r.at);
    const mostInOneSecond = Math.max(
      ...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length),
    );
    expect(times.length).toBeGreaterThan(0);
    expect(mostInOneSecond).toBeLessThanOrEqual(2);
    expect(run.seconds).toBeLessThan(12);
  });

  it.each([
    ['10 minutes ahead', -10 * 60_000],
    ['10 minutes behind', 10 * 60_000],
  ])('verifies with a local clock %s of the route and CloudWatch', async (_name, offsetMs) => {
    // Prepare: the route and CloudWatch share one clock, ours is off by the offset.
    const theirNow = () => Date.now() + offsetMs;
    const endpoint = await serve((req, res) =>
      healthAnswer(req, res, { headers: { date: new Date(theirNow()).toUTCString() } }),
    );
    const logs = await logsWithLine(theirNow);
    // Act
    const run = await verify(`${endpoint.url}/health`, logs.url, 15, ['--json']);
    // Assess
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).verdict).toBe('verified');
  });

  it('exits 2 in one line when CloudWatch rejects the log group name', async () => {
    // Prepare
    const endpoint = await serve((req, res) => healthAnswer(req, res));
    const logs = await serve((_req, res) =>
      logsError(res, 400, 'InvalidParameterException', '1 validation error detected'),
    );
    // Act
    const run = await verify(`${endpoint.url}/health`, logs.url, 10);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('smoke-gate:'))).toHaveLength(1);
    expect(run.stderr).toMatch(/rejected the request \(InvalidParameterException/);
    expect(run.stderr).not.toMatch(/at .*node_modules|\$metadata/);
  });

  it('ends by its deadline when the stack lookup never answers (exit 2)', async () => {
    // Prepare: accepts the connection, never answers.
    const cloudFormation = await serve(() => undefined);
    // Act
    const run = await runCliProcess(
      ['verify', '--stage', 'dev', '--endpoint-url', cloudFormation.url, '--timeout', '3'],
      MOTO_CREDENTIALS_ENV,
    );
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/did not finish before the deadline/);
    expect(run.seconds).toBeLessThan(8);
  });

  it('ends by its deadline when credentials are slow (exit 2)', async () => {
    // Prepare: a profile whose credential_process takes 30 s.
    const config = join(dir, 'config');
    const slow = join(dir, 'slow-credentials.sh');
    await writeFile(slow, '#!/bin/sh\nsleep 30\n');
    await chmod(slow, 0o755);
    await writeFile(config, `[profile slow]\nregion = us-east-1\ncredential_process = ${slow}\n`);
    // Act
    const run = await runCliProcess(
      ['verify', '--url', 'http://127.0.0.1:9/health', '--log-group', GROUP, '--timeout', '3'],
      {
        ...MOTO_CREDENTIALS_ENV,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_PROFILE: 'slow',
        AWS_CONFIG_FILE: config,
      },
    );
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/resolving AWS credentials did not finish before the deadline/);
    expect(run.seconds).toBeLessThan(8);
  });

  it('names a missing profile (exit 2)', async () => {
    // Act
    const run = await runCliProcess(
      ['verify', '--url', 'http://127.0.0.1:9/health', '--log-group', GROUP, '--profile', 'nosuch'],
      { ...MOTO_CREDENTIALS_ENV, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
    );
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/profile "nosuch"/);
  });

  it('reads AWS_DEFAULT_REGION as the AWS CLI does', async () => {
    // Prepare
    const endpoint = await serve((req, res) => healthAnswer(req, res));
    const logs = await logsWithLine();
    // Act
    const run = await runCliProcess(
      ['verify', '--url', `${endpoint.url}/health`, '--log-group', GROUP, '-r', 'eu-west-1'].slice(
        0,
        5,
      ),
      {
        ...MOTO_CREDENTIALS_ENV,
        AWS_REGION: '',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL: logs.url,
      },
    );
    // Assess
    expect(run.code, run.stderr).toBe(0);
  });

  it('checks the JUnit file before verifying: unwritable is exit 2 at once', async () => {
    // Prepare
    const endpoint = await serve((req, res) => healthAnswer(req, res));
    const aFile = join(dir, 'a-file');
    await writeFile(aFile, '');
    // Act: the parent "folder" is a file, so no folder can be made there.
    const run = await verify(`${endpoint.url}/health`, 'http://127.0.0.1:9', 60, [
      '--junit',
      join(aFile, 'report.xml'),
    ]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot write --junit file/);
    expect(endpoint.requests).toHaveLength(0);
  });

  it('writes a JUnit file for a configuration error too, making its folder (CI reports/)', async () => {
    // Prepare: a folder that does not exist yet, as `--junit reports/smoke.xml` in a fresh job.
    const junit = join(dir, 'reports', 'nested', 'config-error.xml');
    const logs = await serve((_req, res) =>
      logsError(res, 400, 'ResourceNotFoundException', 'The specified log group does not exist.'),
    );
    const endpoint = await serve((req, res) => healthAnswer(req, res));
    // Act
    const run = await verify(`${endpoint.url}/health`, logs.url, 10, ['--junit', junit]);
    // Assess
    expect(run.code).toBe(2);
    const xmlText = await readFile(junit, 'utf8');
    expect(xmlText).toMatch(/<testsuites name="smoke-gate" tests="1" failures="1"/);
    expect(xmlText).toMatch(/<failure message="CloudWatch Logs group .* not found/);
  });
});
