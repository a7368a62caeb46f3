import { describe, expect, it } from 'vitest';
import packageJson from '../../../../packages/smoke-gate/package.json' with { type: 'json' };
import { runCli } from '../../../../packages/smoke-gate/src/cli/cli.ts';

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

  it('prints each command’s own help: its usage, what it does and its options', async () => {
    // Act
    const help = async (command: string) => {
      const run = io();
      expect(await runCli([command, '--help'], run.io)).toBe(0);
      return run.stdout();
    };
    const [verify, status, history, recordsKey] = await Promise.all(
      ['verify', 'status', 'history', 'records-key'].map(help),
    );
    // Assess
    expect(new Set([verify, status, history, recordsKey]).size).toBe(4);
    expect(status).toMatch(/^Usage: smoke-gate status /);
    expect(status).toContain('--stale-after');
    expect(history).toMatch(/^Usage: smoke-gate history --stage <stage> \[options\]\n/);
    expect(history).not.toContain('--stale-after');
    expect(history).not.toContain('--url <url>');
    expect(recordsKey).toMatch(/^Usage: smoke-gate records-key /);
    expect(verify).toContain('Exit codes:\n  0  verified');
  });

  it('prints the package version', async () => {
    const run = io();
    expect(await runCli(['--version'], run.io)).toBe(0);
    expect(run.stdout()).toBe(`${packageJson.version}\n`);
  });

  it.each([
    [[], /missing command: verify, status, history, records-key, init, promote or abort/],
    [['status'], /status needs --stage/],
    [
      ['status', '--stage', 'dev', '--stale-after', '0'],
      /--stale-after "0" must be a number of minutes from 1 to 1440/,
    ],
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
      ['verify', '--stage', 'a', '--stage', 'b', '--url', 'https://h/health'],
      /--url names one target/,
    ],
    [['verify', '--targets', 'fleet.yml', '--stage', 'dev'], /--targets lists the stages/],
    [
      ['verify', '--targets', 'f.yml', '--region', 'a', '--region', 'b'],
      /--targets takes one --region/,
    ],
    [['history', '--stage', 'a', '--stage', 'b'], /history takes one --stage/],
    [
      ['verify', '--stage', 'a', '--stage', 'b', '--logs-rate', '0'],
      /--logs-rate "0" must be a whole number of calls per second from 1 to 50/,
    ],
    [['verify', '--stage', 'a', '--logs-rate', '2.5'], /--logs-rate "2.5" must be a whole number/],
    [['verfy', '--stage', 'a'], /unknown command "verfy" \(did you mean verify\?\)/],
    [
      ['verify', '--endpoint', 'http://127.0.0.1:1'],
      /unknown option "--endpoint" \(did you mean --endpoint-url\?\)/,
    ],
    [
      ['verify', '--url', 'https://h/health', '--log-group', 'g', '--endpoint-url', 'x'],
      /--endpoint-url/,
    ],
  ])('exits 2 on %j with a clear message', async (args, message) => {
    const run = io();
    const code = await runCli(args, run.io);
    expect(code).toBe(2);
    expect(run.stderr()).toMatch(message);
    expect(run.stderr()).toMatch(/smoke-gate --help/);
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
      'smoke-gate: unknown region "eu-westt-1" (did you mean eu-west-1?)\n',
    );
  });

  it('keeps stdout one JSON object on a usage error with --json', async () => {
    const run = io();
    const code = await runCli(['verify', '--json', '--url', '::'], run.io);
    expect(code).toBe(2);
    expect(JSON.parse(run.stdout())).toMatchObject({ ok: false, error: { exitCode: 2 } });
  });
});
