import { describe, expect, it } from 'vitest';
import { runCli } from '../../../lib/verify/cli.ts';
import { createProgress } from '../../../lib/verify/progress.ts';
import { formatJUnit, formatReport, palette } from '../../../lib/verify/report.ts';
import type { VerifyReport } from '../../../lib/verify/verify-deployment.ts';
import packageJson from '../../../package.json' with { type: 'json' };

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env: {},
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
};

describe('petsage-smoke usage', () => {
  it('prints help with the exit codes and exits 0', async () => {
    const run = io();
    const code = await runCli(['--help'], run.io);
    expect(code).toBe(0);
    expect(run.stdout()).toMatch(/Exit codes:\n {2}0 {2}verified/);
    expect(run.stdout()).toMatch(/logs:FilterLogEvents/);
  });

  it('prints the package version', async () => {
    const run = io();
    expect(await runCli(['--version'], run.io)).toBe(0);
    expect(run.stdout()).toBe(`${packageJson.version}\n`);
  });

  it.each([
    [[], /missing command: verify or status/],
    [['status'], /status needs --stage/],
    [['status', '--stage', 'dev', '--stale-after', '0'], /--stale-after must be/],
    [['check'], /unknown command "check"/],
    [['verify', '--bogus'], /unknown option "--bogus"/],
    [['verify', '--stge', 'dev'], /did you mean --stage\?/],
    [
      ['verify', '--url', 'https://u:secret@h/health', '--log-group', 'g'],
      /must not carry credentials/,
    ],
    [['verify', '--url', 'https://h/health', '--log-group', 'a b'], /not a valid log group name/],
    [
      ['verify', '--url', 'https://h/health', '--log-group', 'g', '--timeout', '3000000'],
      /from 1 to 3600/,
    ],
    [
      ['verify', '--path', '/x', '--url', 'https://h/health', '--log-group', 'g'],
      /--path goes with --local/,
    ],
    [['verify', '--url', 'not a url', '--log-group', 'g'], /--url "not a url" is not a valid URL/],
    [['verify', '--url', 'ftp://host/health', '--log-group', 'g'], /must be an http/],
    [
      ['verify', '--url', 'https://h/health', '--log-group', 'g', '--timeout', 'soon'],
      /--timeout "soon"/,
    ],
    [
      ['verify', '--url', 'https://h/health', '--log-group', 'g', '--timeout', '0'],
      /from 1 to 3600/,
    ],
    [['verify', '--url', 'https://h/health'], /no log group: pass --log-group/],
    [['verify'], /no endpoint/],
    [['verify', '--local', '--url', 'https://h/health'], /leave out --url/],
    [
      ['verify', '--url', 'https://h/health', '--log-group', 'g', '--endpoint-url', 'x'],
      /--endpoint-url/,
    ],
  ])('exits 2 on %j with a clear message', async (args, message) => {
    const run = io();
    const code = await runCli(args, run.io);
    expect(code).toBe(2);
    expect(run.stderr()).toMatch(message);
    expect(run.stderr()).toMatch(/petsage-smoke --help/);
    expect(run.stdout()).toBe('');
  });

  it('refuses a region AWS does not have, with a suggestion, before any call (exit 2)', async () => {
    const run = io();
    const args = [
      'verify',
      '--url',
      'https://h/health',
      '--log-group',
      'g',
      '--region',
      'eu-westt-1',
    ];
    const code = await runCli(args, run.io);
    expect(code).toBe(2);
    expect(run.stderr()).toBe(
      'petsage-smoke: unknown region "eu-westt-1" (did you mean eu-west-1?)\n',
    );
  });

  it('keeps stdout one JSON object on a usage error with --json', async () => {
    const run = io();
    const code = await runCli(['verify', '--json', '--url', '::'], run.io);
    expect(code).toBe(2);
    expect(JSON.parse(run.stdout())).toMatchObject({ ok: false, error: { exitCode: 2 } });
  });
});

const report: VerifyReport = {
  ok: false,
  verdict: 'failed',
  correlationId: 'smoke-1',
  url: 'https://h/health',
  logSource: 'CloudWatch Logs group /aws/lambda/x',
  http: { ok: true, status: 200, latencyMs: 87, attempts: 1, problems: [] },
  log: {
    found: false,
    searched: true,
    logStreamName: null,
    ingestionDelayMs: null,
    functionRequestId: null,
    polls: 12,
    throttled: 0,
    rejected: [],
    problems: ['no smoke-test line with correlation_id "smoke-1" & <friends>'],
  },
  elapsedMs: 6100,
  hints: ['Check the region'],
};

describe('reports', () => {
  it('say PASS or FAIL per step and what to check', () => {
    const text = formatReport(report);
    expect(text).toMatch(/PASS {2}route {5}HTTP 200 in 87 ms/);
    expect(text).toMatch(
      /FAIL {2}log line {2}not found in CloudWatch Logs group \/aws\/lambda\/x \(12 poll/,
    );
    expect(text).toMatch(/hint: Check the region/);
    expect(text).toMatch(/FAIL: not verified \(6.1 s\)/);
  });

  it('use colour only when asked', () => {
    expect(formatReport(report, palette(true))).toContain('\u001b[31mFAIL\u001b[0m');
    expect(formatReport(report, palette(false))).not.toContain('\u001b[');
  });

  it('write JUnit XML with one testcase per step, escaped', () => {
    const xml = formatJUnit(report);
    expect(xml).toMatch(/<testsuites name="petsage-smoke" tests="2" failures="1"/);
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain('&amp; &lt;friends&gt;');
  });
});

describe('progress', () => {
  it('redraws one live line on a terminal', () => {
    const writes: string[] = [];
    const progress = createProgress({
      stream: { isTTY: true, write: (t: string) => writes.push(t) },
    });
    progress.update('waiting for the log line', '3 poll(s)');
    progress.done();
    const CLEAR_LINE = '\r\u001b[2K';
    expect(writes[0]?.startsWith(CLEAR_LINE)).toBe(true);
    expect(writes[0]?.slice(CLEAR_LINE.length)).toMatch(
      /^\d+\.\ds {2}waiting for the log line: 3 poll\(s\)$/,
    );
    expect(writes.at(-1)).toBe(CLEAR_LINE);
  });

  it('prints plain periodic lines elsewhere', () => {
    const writes: string[] = [];
    let time = 0;
    const progress = createProgress({
      stream: { write: (t: string) => writes.push(t) },
      intervalMs: 5_000,
      now: () => time,
    });
    for (let poll = 1; poll <= 20; poll++) {
      progress.update('waiting for the log line', `${poll} poll(s)`);
      time += 500;
    }
    progress.done();
    expect(writes).toStrictEqual([
      '[0.0s  waiting for the log line: 1 poll(s)]\n',
      '[5.0s  waiting for the log line: 11 poll(s)]\n',
    ]);
  });
});
