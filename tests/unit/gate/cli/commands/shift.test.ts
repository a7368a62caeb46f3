import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../../packages/smoke-gate/src/cli/cli.ts';

/** One CLI run's streams. */
function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
      env: {},
    },
  };
}

describe('smoke-gate promote and abort (the CLI; tests/integration/traffic-shift-moto.test.ts moves a real alias)', () => {
  it.each(['promote', 'abort'])('%s needs a stage, in one line, exit 2', async (command) => {
    // Prepare
    const run = io();
    // Act
    const code = await runCli([command, '--service', 'orders'], run.io);
    // Assess
    expect(code).toBe(2);
    expect(run.out.stderr).toMatch(new RegExp(`^smoke-gate: ${command} needs --stage <stage>\\n`));
  });

  it('moves one stage: refuses --targets', async () => {
    // Prepare
    const run = io();
    // Act
    const code = await runCli(['abort', '--stage', 'prod', '--targets', 'x.yml'], run.io);
    // Assess
    expect(code).toBe(2);
    expect(run.out.stderr).toContain('abort moves one stage: leave out --targets');
  });

  it('has its own help', async () => {
    // Prepare
    const run = io();
    // Act
    const code = await runCli(['promote', '--help'], run.io);
    // Assess
    expect(code).toBe(0);
    expect(run.out.stdout).toMatch(
      /^Usage: smoke-gate promote --stage <stage> \[options\]\n\nFinishes a shift/,
    );
  });
});
