import { execFile, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SERVERLESS_BIN } from '../../harness/project/packaged.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { freePort, stopProcessGroup } from '../../packages/smoke-gate/src/verification/offline.ts';

const run = promisify(execFile);

describe('npm start', () => {
  it('serves the health route on the ports passed after --', async () => {
    // Prepare
    const [httpPort, lambdaPort] = [await freePort(), await freePort()];
    const child = spawn(
      'npm',
      ['start', '--', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
      { cwd: PROJECT_DIR, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    try {
      for (let i = 0; i < 600 && !output.includes('Server ready'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Act
      const response = await fetch(`http://127.0.0.1:${httpPort}/health`);
      // Assess
      expect(output).toContain(`http://127.0.0.1:${httpPort}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok' });
    } finally {
      await stopProcessGroup(child);
    }
  });
});

describe('npm start on a taken port', () => {
  it('says in one line which port is taken and the flags that move it, with no error object', async () => {
    // Prepare: something already listens on the port npm start would take.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    try {
      // Act
      const result = await run(
        'npm',
        [
          'start',
          '--silent',
          '--',
          '--httpPort',
          String(taken),
          '--lambdaPort',
          String(await freePort()),
        ],
        { cwd: PROJECT_DIR },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      // Assess
      expect(result.code).toBe(1);
      const lines = result.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('npm start:'));
      expect(lines).toStrictEqual([
        expect.stringMatching(
          new RegExp(
            `^npm start: port ${taken} \\(the HTTP API\\) on 127\\.0\\.0\\.1 is taken.*npm start -- --httpPort \\d+ --lambdaPort \\d+$`,
          ),
        ),
      ]);
      expect(result.stderr).not.toMatch(/EADDRINUSE|code: '|\{\s*$/m);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

describe('npx serverless, through npx’s .bin link', () => {
  it('prints the help with no notice that the framework is untested', async () => {
    // Act: as `npx serverless deploy --help` runs it: the link beside the service's package.json.
    const { stdout, stderr } = await run(
      'npx',
      ['--no-install', 'serverless', 'deploy', '--help'],
      { cwd: PROJECT_DIR, env: { ...process.env, NO_COLOR: '1' } },
    );
    // Assess
    expect(stdout + stderr).toMatch(/deploy/);
    expect(stdout + stderr).not.toMatch(/untested|is tested on/);
  });
});

describe('serverless invoke local', () => {
  it('answers a non-HTTP invocation with the payload and the log line', async () => {
    // Act
    const { stdout } = await run(
      process.execPath,
      [SERVERLESS_BIN, 'invoke', 'local', '-f', 'health', '--data', '{}', '--stage', 'local'],
      { cwd: PROJECT_DIR },
    );
    // Assess
    const logLine = stdout.split('\n').find((line) => line.startsWith('{"level"'));
    expect(JSON.parse(logLine ?? '{}')).toMatchObject({
      event: 'smoke_test_executed',
      stage: 'local',
    });
    const result = JSON.parse(stdout.slice(stdout.indexOf('{\n')));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok', stage: 'local' });
  });
});

describe('npm run smoke:local', () => {
  it('ends at once on a 404 when --path names a route serverless.yml does not have', async () => {
    // Act
    const result = await run(
      'npm',
      ['run', '--silent', 'smoke:local', '--', '--path', '/nope', '--json'],
      {
        cwd: PROJECT_DIR,
      },
    ).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    // Assess
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      verdict: 'failed',
      http: { status: 404 },
      log: { searched: false },
    });
    expect(report.url).toMatch(/\/nope$/);
    expect(report.hints.join('\n')).toMatch(/404: the route path/);
  });

  it('verifies route and log line against serverless-offline and exits 0', async () => {
    // Act
    const { stdout } = await run('npm', ['run', '--silent', 'smoke:local', '--', '--json'], {
      cwd: PROJECT_DIR,
    });
    // Assess
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      ok: true,
      http: { ok: true, status: 200 },
      log: { found: true, logStreamName: 'serverless-offline output' },
    });
  });
});
