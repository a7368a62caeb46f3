// npm run sandbox, exactly as the README says a newcomer runs it: the sandbox as a process,
// then the commands it prints, run as printed (through a shell), then Ctrl-C. Stand-ins as in
// harness/sandbox.ts: moto (no IAM), the route stand-in (no API Gateway, no ingestion delay).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoForSuite } from '../../harness/aws/moto.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';

const hasMoto = motoForSuite('the sandbox suite');
const run = promisify(execFile);
const TIMEOUT = 120_000;

let sandbox: ChildProcess;
let output = '';

/** Runs one printed command line through bash, with the printed `export` line before it. */
const shell = async (command: string) => {
  const exports = /^\s*export (.+)$/m.exec(output)?.[1] ?? '';
  try {
    const { stdout, stderr } = await run('bash', ['-c', `export ${exports}; ${command}`], {
      cwd: PROJECT_DIR,
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
};

const printed = (pattern: RegExp) => {
  const line = output.split('\n').find((l) => pattern.test(l));
  if (line === undefined) throw new Error(`the sandbox printed no line matching ${pattern}`);
  return line.trim();
};

describe.skipIf(!hasMoto)('npm run sandbox', () => {
  beforeAll(async () => {
    sandbox = spawn('npm', ['run', 'sandbox'], {
      cwd: PROJECT_DIR,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    for (const stream of [sandbox.stdout, sandbox.stderr]) {
      stream?.on('data', (chunk) => {
        output += String(chunk);
      });
    }
    for (let i = 0; i < 1_100 && !/^sandbox: ready$/m.test(output); i++) {
      if (sandbox.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, TIMEOUT);
  afterAll(async () => {
    // Only when a test failed before Ctrl-C: the sandbox's own process group, by its pid.
    if (sandbox?.pid !== undefined && sandbox.exitCode === null && sandbox.signalCode === null) {
      const exited = once(sandbox, 'exit');
      process.kill(-sandbox.pid, 'SIGKILL');
      await exited;
    }
  });

  it('deploys a verified stage and prints the commands', () => {
    expect(output, output).toMatch(/PASS: verified/);
    expect(output).toMatch(/^sandbox: ready$/m);
  });

  it('verifies, reports status and history with the printed commands', {
    timeout: TIMEOUT,
  }, async () => {
    // Act
    const verify = await shell(printed(/npx petsage-smoke verify /));
    const status = await shell(printed(/npx petsage-smoke status /));
    const history = await shell(`${printed(/npx petsage-smoke history /)} --json`);
    // Assess
    expect(verify.code, verify.output).toBe(0);
    expect(verify.output).toMatch(/PASS: verified/);
    expect(status.code, status.output).toBe(0);
    expect(status.output).toMatch(/HEALTHY/);
    expect(history.code, history.output).toBe(0);
    expect(JSON.parse(history.output).deployments).toStrictEqual([
      expect.objectContaining({ commit: 'sandbox-good', verdict: 'verified', live: true }),
    ]);
  });

  it('fails the printed broken deploy, rolls it back and verifies the good one again', {
    timeout: TIMEOUT,
  }, async () => {
    // Act
    const broken = await shell(printed(/npx serverless deploy /));
    const history = await shell(`${printed(/npx petsage-smoke history /)} --json`);
    // Assess
    expect(broken.code, broken.output).toBe(1);
    expect(broken.output).toMatch(/Rolled back to the last verified deployment \S+ .*PASSES again/);
    const entries = JSON.parse(history.output).deployments;
    expect(entries.find((e: { live: boolean }) => e.live)).toMatchObject({
      commit: 'sandbox-good',
    });
    expect(entries.find((e: { commit: string }) => e.commit === 'sandbox-broken')).toMatchObject({
      verdict: 'rolled-back',
    });
  });

  it('stops everything and leaves nothing behind on Ctrl-C', { timeout: TIMEOUT }, async () => {
    // Prepare
    const folder = /cd (\S+\/broken) /.exec(output)?.[1] ?? '';
    const moto = /moto at (http:\/\/\S+),/.exec(output)?.[1] ?? '';
    const exited = once(sandbox, 'exit');
    // Act: Ctrl-C reaches the whole foreground group, npm and the sandbox alike.
    process.kill(-(sandbox.pid as number), 'SIGINT');
    await exited;
    // The sandbox may still be cleaning up when npm is gone: wait for that, within a bound.
    const motoUp = () =>
      fetch(`${moto}/moto-api/`).then(
        () => true,
        () => false,
      );
    for (let i = 0; i < 100 && (existsSync(folder) || (await motoUp())); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Assess
    expect(output).toMatch(/sandbox: stopping \(route stand-in, moto, files\)/);
    expect(existsSync(folder)).toBe(false);
    expect(await motoUp()).toBe(false);
  });
});
