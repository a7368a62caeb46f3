// npm run sandbox, exactly as the README says a newcomer runs it: the sandbox as a process,
// then the commands it prints, run as printed (through a shell), then Ctrl-C. Stand-ins as in
// harness/sandbox.ts: moto (no IAM), the route stand-in (no API Gateway, no ingestion delay; in
// the traffic mode it resolves stage -> alias -> version, docs/traffic.md).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoForSuite } from '../../harness/aws/moto.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';

const hasMoto = motoForSuite('the sandbox suite');
const run = promisify(execFile);
const TIMEOUT = 120_000;

let sandbox: ChildProcess;
/** What the sandbox printed so far. */
let output = () => '';

/** Runs one printed command line through bash, with the printed `export` line before it. */
const shell = async (command: string) => {
  const exports = /^\s*export (.+)$/m.exec(output())?.[1] ?? '';
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
  const line = output()
    .split('\n')
    .find((l) => pattern.test(l));
  if (line === undefined) throw new Error(`the sandbox printed no line matching ${pattern}`);
  return line.trim();
};

/** Starts `npm run sandbox` in a process group of its own; resolves once it is ready (or gone). */
async function startSandbox(): Promise<{ child: ChildProcess; text: () => string }> {
  let text = '';
  const child = spawn('npm', ['run', 'sandbox'], {
    cwd: PROJECT_DIR,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk) => {
      text += String(chunk);
    });
  }
  for (let i = 0; i < 1_100 && !/^sandbox: ready$/m.test(text); i++) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, text: () => text };
}

/**
 * Only when a test failed before the sandbox stopped: its own process group, by npm's pid (the
 * group's id), even when npm itself is gone and left the sandbox running.
 */
async function killSandbox(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined) return;
  const running = child.exitCode === null && child.signalCode === null;
  const exited = running ? once(child, 'exit') : Promise.resolve();
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    return; // Nobody is left in the group.
  }
  await exited;
}

/** Waits, within a bound, until the sandbox's folder and moto are gone; says whether they are. */
async function sandboxGone(text: string): Promise<{ folder: boolean; moto: boolean }> {
  const folder = /cd (\S+\/broken) /.exec(text)?.[1] ?? '';
  const moto = /moto at (http:\/\/\S+),/.exec(text)?.[1] ?? '';
  const motoUp = () =>
    fetch(`${moto}/moto-api/`).then(
      () => true,
      () => false,
    );
  for (let i = 0; i < 100 && (existsSync(folder) || (await motoUp())); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { folder: !existsSync(folder), moto: !(await motoUp()) };
}

describe.skipIf(!hasMoto)('npm run sandbox', () => {
  beforeAll(async () => {
    const started = await startSandbox();
    sandbox = started.child;
    output = started.text;
  }, TIMEOUT);
  afterAll(() => killSandbox(sandbox));

  it('deploys a verified stage and prints the commands', () => {
    expect(output(), output()).toMatch(/PASS: verified/);
    expect(output()).toMatch(/^sandbox: ready$/m);
    // The stack's HTTP API has an id, as in AWS (moto's shim, item 7): no `None` in a URL.
    expect(output()).toMatch(/https:\/\/[a-z]{8}\.execute-api\.us-east-1\.amazonaws\.com/);
    expect(output()).not.toMatch(/None\.execute-api/);
  });

  it('verifies, reports status and history with the printed commands', {
    timeout: TIMEOUT,
  }, async () => {
    // Act
    const verify = await shell(printed(/npx smoke-gate verify /));
    const status = await shell(printed(/npx smoke-gate status /));
    const history = await shell(`${printed(/npx smoke-gate history /)} --json`);
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
    const history = await shell(`${printed(/npx smoke-gate history /)} --json`);
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

  it('names the broken deploy left live in status (exit 1), then returns by commit, as printed', {
    timeout: TIMEOUT,
  }, async () => {
    // Act: the printed lines after the rolled-back walk, in order.
    const left = await shell(printed(/npx serverless deploy .*--skip-rollback/));
    const status = await shell(printed(/npx smoke-gate status /));
    const back = await shell(printed(/npx serverless rollback .*--commit sandbox-good/));
    const verify = await shell(printed(/npx smoke-gate verify /));
    // Assess
    expect(left.code, left.output).toBe(1);
    expect(status.code, status.output).toBe(1);
    expect(status.output).toMatch(/UNVERIFIED/);
    expect(status.output).toMatch(
      /the live deployment \S+ \(commit sandbox-broken\) FAILED its smoke test and was left live/,
    );
    expect(back.code, back.output).toBe(0);
    expect(verify.code, verify.output).toBe(0);
    expect(verify.output).toMatch(/PASS: verified/);
  });

  it('runs the README’s walkthrough as written, block by block, with the environment it prints', {
    timeout: 4 * TIMEOUT,
  }, async () => {
    // Prepare: the README's `sh sandbox` blocks, in order.
    const readme = readFileSync(join(PROJECT_DIR, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/^```sh sandbox\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
    // Act: each block as one script that stops at its first failing line.
    const runs = [];
    for (const block of blocks) runs.push(await shell(`set -e\n${block}`));
    // Assess
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const [index, run] of runs.entries())
      expect(run.code, `block ${index + 1}: ${run.output}`).toBe(0);
    const [passing, rolledBack, recovered, traffic, fleet] = runs.map((run) => run.output);
    expect(passing).toMatch(/PASS: verified[\s\S]*HEALTHY/);
    expect(rolledBack).toMatch(/Rolled back to the last verified deployment \S+ .*PASSES again/);
    expect(rolledBack).toMatch(/ rolled-back /);
    expect(rolledBack).toMatch(/ restored /);
    expect(recovered).toMatch(/UNVERIFIED/);
    expect(recovered).toMatch(/FAILED its smoke test and was left live/);
    expect(recovered).toMatch(/Rolling back to \S+, the newest deployment of commit sandbox-good/);
    expect((recovered ?? '').trimEnd()).toMatch(/PASS: verified/);
    // The traffic mode: the broken version never served; the rollback moved live, not the stack.
    expect(traffic).toMatch(/no caller reached version 2: live still serves version 1\./);
    expect(traffic).toMatch(
      /Traffic mode: live moved from version 3 to version 1 \(deployment \S+, commit sandbox-good\) in one alias update; the stack was not updated\./,
    );
    expect(traffic).toMatch(/traffic mode: live -> version 1, candidate -> none/);
    expect(fleet).toMatch(/2 verified, 0 failed, 0 could not judge/);
  });

  it('stops everything and leaves nothing behind on Ctrl-C', { timeout: TIMEOUT }, async () => {
    // Prepare
    const exited = once(sandbox, 'exit');
    // Act: Ctrl-C reaches the whole foreground group, npm and the sandbox alike.
    process.kill(-(sandbox.pid as number), 'SIGINT');
    await exited;
    // The sandbox may still be cleaning up when npm is gone: wait for that, within a bound.
    const gone = await sandboxGone(output());
    // Assess
    expect(output()).toMatch(/sandbox: stopping \(route stand-in, moto, files\)/);
    expect(gone).toStrictEqual({ folder: true, moto: true });
  });
});

describe.skipIf(!hasMoto)('npm run sandbox, stopped through npm’s pid alone', () => {
  let started: Awaited<ReturnType<typeof startSandbox>> | undefined;
  afterAll(() => killSandbox(started?.child));

  it('stops moto, the route stand-in and itself when only npm gets SIGTERM (a CI cancel)', {
    timeout: TIMEOUT,
  }, async () => {
    // Prepare
    started = await startSandbox();
    expect(started.text()).toMatch(/^sandbox: ready$/m);
    // Act: npm's own pid, not the group: npm and its `sh -c` end; the sandbox must notice.
    process.kill(started.child.pid as number, 'SIGTERM');
    const gone = await sandboxGone(started.text());
    // Assess
    expect(gone).toStrictEqual({ folder: true, moto: true });
  });
});
