import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_DIR } from '../../../../../harness/project/project.ts';
import { runCli } from '../../../../../packages/smoke-gate/src/cli/cli.ts';

let dir: string;
let stdout = '';
let stderr = '';
const io = () => ({
  stdout: { write: (text: string) => (stdout += text) },
  stderr: { write: (text: string) => (stderr += text) },
  env: {},
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'init-cmd-'));
  stdout = '';
  stderr = '';
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('smoke-gate init (no --run: no AWS call with --account)', () => {
  it("writes the plain-JS example's policies with its own names, and nothing of this repository's", async () => {
    // Prepare
    await cp(
      join(PROJECT_DIR, 'examples/plain-js-service/serverless.yml'),
      join(dir, 'serverless.yml'),
    );
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    // Act
    const code = await runCli(
      [
        'init',
        '--region',
        'eu-central-1',
        '--account',
        '210987654321',
        '--repository',
        'acme/ping',
        '--json',
      ],
      io(),
    );
    // Assess
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ok: true, service: 'plain-js-ping', region: 'eu-central-1' });
    expect(await readdir(join(dir, '.github/iam'))).toHaveLength(10);
    const deploy = await readFile(join(dir, '.github/iam/deploy-policy.json'), 'utf8');
    expect(deploy).toContain(
      'arn:aws:cloudformation:eu-central-1:${aws:PrincipalAccount}:stack/plain-js-ping-*/*',
    );
    expect(deploy).not.toMatch(/petsage-smoke-test|eu-west-1/);
    expect(report.missing).toStrictEqual([
      "the records key's id (init --run, or the commands below)",
    ]);
  });

  it('refuses a folder without a serverless.yml in one line, exit 2', async () => {
    // Prepare
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    // Act
    const code = await runCli(
      ['init', '--region', 'eu-central-1', '--account', '210987654321'],
      io(),
    );
    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe(
      'smoke-gate: no serverless.yml here: run init in the service folder, beside its serverless.yml\n',
    );
  });

  it('prints its own help, with its own options', async () => {
    // Act
    const code = await runCli(['init', '--help'], io());
    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: smoke-gate init \[--run\]/);
    expect(stdout).toContain('--repository <owner/repo>');
    expect(stdout).not.toContain('--log-group');
  });
});
