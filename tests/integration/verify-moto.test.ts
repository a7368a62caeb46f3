import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogAgent } from '../../harness/aws/log-agent.ts';
import {
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import { logLinesOf } from '../../harness/lambda/log-lines.ts';
import { SERVERLESS_BIN } from '../../harness/project/packaged.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { type ServiceCopy, serviceCopy } from '../../harness/project/project-copy.ts';
import { contractConfig } from '../../packages/smoke-gate/src/core/contract-config.ts';
import { SmokeTestPlugin } from '../../packages/smoke-gate/src/plugin/index.ts';
import {
  type OfflineServer,
  startOffline,
} from '../../packages/smoke-gate/src/verification/offline.ts';
import { runCliProcess, runNodeScript } from '../helpers/cli.ts';
import { PETSAGE_CONTRACT } from '../helpers/petsage-contract.ts';

const hasMoto = motoForSuite('the CloudWatch Logs integration suite');

const LOG_GROUP = '/aws/lambda/petsage-smoke-test-local-health';

/** The framework as the plugin sees it (one function, its GET route), with moto behind it. */
const fakeServerless = (stackName: string, custom: Record<string, unknown>) => ({
  service: {
    custom,
    functions: { health: { events: [{ httpApi: { method: 'GET', path: '/health' } }] } },
  },
  classes: { Error },
  getProvider: () => ({
    getAwsSdkV3Config: async () => moto.settings(),
    naming: { getStackName: () => stackName },
  }),
});

/** Runs the project's serverless CLI (osls) as a subprocess, in this suite's copy of the service. */
const runServerless = (args: string[], env: NodeJS.ProcessEnv) =>
  runNodeScript(SERVERLESS_BIN, args, env, { cwd: service.dir });

let moto: Moto;
let offline: OfflineServer;
/** The copy of the service serverless-offline serves (its build folders are this suite's own). */
let service: ServiceCopy;
let logs: CloudWatchLogsClient;

/** Plays Lambda's log agent: copies what the function printed into moto, late or not at all. */
const logAgent = (options: { delayMs: number; copyLine: boolean; decoys: boolean }) => {
  const seen = new Set(logLinesOf(offline).map((line) => JSON.stringify(line)));
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const fresh = logLinesOf(offline).filter(
        (line) => line.event === 'smoke_test_executed' && !seen.has(JSON.stringify(line)),
      );
      const line = fresh[0];
      if (line !== undefined) {
        const id = String(line.correlation_id);
        const agent = createLogAgent({ logs, logGroupName: LOG_GROUP });
        const now = Date.now();
        const events = [];
        if (options.decoys) {
          events.push(
            { timestamp: now, message: `START RequestId: ${id} Version: $LATEST` },
            { timestamp: now, message: JSON.stringify({ ...line, event: 'other_event' }) },
            {
              timestamp: now,
              message: JSON.stringify({ ...line, correlation_id: `${id}-extended` }),
            },
            { timestamp: now, message: `{"correlation_id":"${id}", broken` },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        if (options.copyLine) {
          events.push({
            timestamp: Date.parse(String(line.timestamp)),
            message: JSON.stringify(line),
          });
        }
        events.push({ timestamp: Date.now(), message: `REPORT RequestId: ${id} Duration: 1.2 ms` });
        await agent.ship(events);
        return { id, stream: agent.stream() };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
  })();
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
};

const verifyArgs = (timeoutSeconds: number) => [
  'verify',
  '--url',
  `${offline.baseUrl}/health`,
  '--log-group',
  LOG_GROUP,
  '--endpoint-url',
  moto.endpoint,
  '--region',
  'us-east-1',
  '--timeout',
  String(timeoutSeconds),
  '--json',
  // This service's contract: its decoys (another event, an ERROR line) are not its line.
  '--contract',
  join(PROJECT_DIR, 'serverless.yml'),
];

/** A bare `--url` run (no stage, no --contract) on `path` of the local route, with room to spare. */
const bareUrlArgs = (path: string) => [
  'verify',
  ...['--url', `${offline.baseUrl}${path}`, '--log-group', LOG_GROUP],
  ...['--endpoint-url', moto.endpoint, '--region', 'us-east-1', '--timeout', '60'],
];

/**
 * A test that runs the framework's CLI: it takes seconds to start before the verification runs,
 * and more on a loaded 2-core machine than the default 20 s leaves (seen once in CI).
 */
const FRAMEWORK_TIMEOUT = 90_000;

describe.skipIf(!hasMoto)('petsage-smoke verify against serverless-offline and moto', () => {
  beforeAll(async () => {
    [moto, offline] = await Promise.all([
      startMoto(),
      serviceCopy().then((copy) => {
        service = copy;
        return startOffline({ cwd: copy.dir, stage: 'local' });
      }),
    ]);
    logs = new CloudWatchLogsClient(moto.settings());
    await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
  });

  afterAll(async () => {
    await Promise.all([moto?.stop(), offline?.stop()]);
    await service?.remove();
  });

  it('passes when the line arrives late among decoys', async () => {
    // Prepare
    const agent = logAgent({ delayMs: 3_000, copyLine: true, decoys: true });
    // Act
    const run = await runCliProcess(verifyArgs(30), MOTO_CREDENTIALS_ENV);
    agent.stop();
    const copied = await agent.done;
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      ok: true,
      correlationId: copied?.id,
      http: { ok: true, status: 200 },
      log: { found: true, logStreamName: copied?.stream },
    });
    expect(report.log.ingestionDelayMs).toBeGreaterThanOrEqual(0);
    expect(report.log.polls).toBeGreaterThan(1);
    expect(report.contract).toMatch(/^--contract ".*serverless\.yml"$/);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(3_000);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('says a bare --url run away from any service judged by the defaults, and what they check', async () => {
    // Prepare: a folder with no serverless.yml, and no --contract.
    const elsewhere = await mkdtemp(join(tmpdir(), 'bare-url-'));
    try {
      // Act: a route that answers 404 ends the run at once (no wait on any deadline); the
      // verdict does not matter here, what it judged by does. Text output, no --contract.
      const args = bareUrlArgs('/missing');
      const run = await runCliProcess(args, MOTO_CREDENTIALS_ENV, { cwd: elsewhere });
      // Assess
      expect(run.stdout).toContain(
        'judged by the defaults (no contract given): HTTP 200, and one line in any format whose correlation_id is the id sent; nothing of the body',
      );
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('uses the custom.smokeTest of ./serverless.yml for a bare --url run beside the service', async () => {
    // Act: from the project (its serverless.yml), no --contract.
    const run = await runCliProcess([...bareUrlArgs('/missing'), '--json'], MOTO_CREDENTIALS_ENV);
    // Assess
    expect(JSON.parse(run.stdout).contract).toBe('custom.smokeTest of ./serverless.yml');
  });

  it('fails with exit 1 when only decoys arrive', async () => {
    // Prepare
    const agent = logAgent({ delayMs: 0, copyLine: false, decoys: true });
    // Act
    const run = await runCliProcess(verifyArgs(10), MOTO_CREDENTIALS_ENV);
    agent.stop();
    await agent.done;
    // Assess
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: false, http: { ok: true }, log: { found: false } });
    expect(report.log.rejected.length).toBeGreaterThan(0);
  });

  it('fails with exit 1 when nothing is shipped, and writes JUnit', async () => {
    // Prepare
    const junit = join(tmpdir(), `petsage-verify-junit-${process.pid}.xml`);
    // Act
    const run = await runCliProcess(
      [
        'verify',
        '--url',
        `${offline.baseUrl}/health`,
        '--log-group',
        LOG_GROUP,
        '--endpoint-url',
        moto.endpoint,
        '--timeout',
        '10',
        '--junit',
        junit,
      ],
      MOTO_CREDENTIALS_ENV,
    );
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/PASS {2}route/);
    expect(run.stdout).toMatch(/FAIL {2}log line/);
    expect(run.stdout).toMatch(/hint: .*region/);
    const { readFile, rm } = await import('node:fs/promises');
    const xml = await readFile(junit, 'utf8');
    await rm(junit, { force: true });
    expect(xml).toMatch(/<testsuites name="smoke-gate" tests="2" failures="1"/);
    expect(xml).toMatch(/<failure message="no smoke-test line/);
  });

  it('exits 2 when the log group does not exist', async () => {
    // Act
    const run = await runCliProcess(
      [
        'verify',
        '--url',
        `${offline.baseUrl}/health`,
        '--log-group',
        '/aws/lambda/nope',
        '--endpoint-url',
        moto.endpoint,
        '--timeout',
        '10',
        '--json',
      ],
      MOTO_CREDENTIALS_ENV,
    );
    // Assess
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { exitCode: 2 } });
    expect(run.stderr).toMatch(/not found.*--log-group/);
  });

  it('exits 2 when there are no credentials', async () => {
    // Act
    const run = await runCliProcess(verifyArgs(10), {
      ...MOTO_CREDENTIALS_ENV,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no usable AWS credentials/);
  });

  it('resolves the URL and log group from the stack outputs with --stage', async () => {
    // Prepare: a stack shaped like ours, whose outputs point at serverless-offline.
    const cloudFormation = new CloudFormationClient(moto.settings());
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'petsage-smoke-test-motostage',
        TemplateBody: JSON.stringify({
          // The contract as the plugin stores it at package time, read back by the CLI.
          Metadata: { SmokeGate: { Contract: contractConfig(PETSAGE_CONTRACT) } },
          Resources: { Placeholder: { Type: 'AWS::SNS::Topic' } },
          Outputs: {
            HealthEndpointUrl: { Value: `${offline.baseUrl}/health` },
            HealthLogGroupName: { Value: LOG_GROUP },
          },
        }),
      }),
    );
    const agent = logAgent({ delayMs: 0, copyLine: true, decoys: false });
    // Act
    const run = await runCliProcess(
      ['verify', '--stage', 'motostage', '--timeout', '20', '--json'],
      {
        ...MOTO_CREDENTIALS_ENV,
        AWS_ENDPOINT_URL: moto.endpoint,
      },
    );
    agent.stop();
    await agent.done;
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, url: `${offline.baseUrl}/health` });
  });

  it('serverless smoke verifies the stage with the framework settings', {
    timeout: FRAMEWORK_TIMEOUT,
  }, async () => {
    // Prepare: the stack of the --stage test above, which points at serverless-offline.
    const agent = logAgent({ delayMs: 1_000, copyLine: true, decoys: true });
    // Act
    const run = await runServerless(['smoke', '--stage', 'motostage', '--timeout', '20'], {
      ...MOTO_CREDENTIALS_ENV,
      AWS_ENDPOINT_URL: moto.endpoint,
    });
    agent.stop();
    const copied = await agent.done;
    // Assess
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(
      /PASS {2}log line {2}line found in \d{4}\/\d\d\/\d\d\/\[\$LATEST\]/,
    );
    expect(run.stdout + run.stderr).toContain(String(copied?.id));
  });

  it('serverless smoke exits non-zero when the line never arrives', {
    timeout: FRAMEWORK_TIMEOUT,
  }, async () => {
    // Act
    const run = await runServerless(['smoke', '--stage', 'motostage', '--timeout', '10'], {
      ...MOTO_CREDENTIALS_ENV,
      AWS_ENDPOINT_URL: moto.endpoint,
    });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/Smoke test failed/);
  });

  it('serverless smoke exits 2 when it cannot judge: the stage has no stack', {
    timeout: FRAMEWORK_TIMEOUT,
  }, async () => {
    // Act
    const run = await runServerless(['smoke', '--stage', 'nostack', '--timeout', '10'], {
      ...MOTO_CREDENTIALS_ENV,
      AWS_ENDPOINT_URL: moto.endpoint,
    });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/stack petsage-smoke-test-nostack does not exist/);
  });

  it('serverless smoke --json prints one JSON report on stdout', {
    timeout: FRAMEWORK_TIMEOUT,
  }, async () => {
    // Prepare
    const agent = logAgent({ delayMs: 0, copyLine: true, decoys: false });
    // Act
    const run = await runServerless(['smoke', '--stage', 'motostage', '--json'], {
      ...MOTO_CREDENTIALS_ENV,
      AWS_ENDPOINT_URL: moto.endpoint,
    });
    agent.stop();
    await agent.done;
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ ok: true, verdict: 'verified' });
  });

  it('the deploy hook verifies after deploy and fails the deploy when verification fails', async () => {
    // Prepare: the plugin as the framework builds it, with moto as the AWS behind the framework.
    const notices: string[] = [];
    const plugin = new SmokeTestPlugin(
      fakeServerless('petsage-smoke-test-motostage', { smokeTest: { timeout: 10 } }),
      {},
      { log: { notice: (message: string) => notices.push(message) } },
    );
    const hook = plugin.hooks['after:deploy:deploy'];
    // Act
    const attempt = hook();
    // Assess
    await expect(attempt).rejects.toThrow(/Smoke test failed/);
    expect(notices.join('\n')).toMatch(/FAIL {2}log line/);
  });

  it('the deploy hook passes when the line arrives', async () => {
    // Prepare
    const notices: string[] = [];
    const plugin = new SmokeTestPlugin(
      fakeServerless('petsage-smoke-test-motostage', {}),
      {},
      { log: { notice: (message: string) => notices.push(message) } },
    );
    const agent = logAgent({ delayMs: 0, copyLine: true, decoys: false });
    // Act
    await plugin.hooks['after:deploy:deploy']();
    agent.stop();
    await agent.done;
    // Assess
    expect(notices.join('\n')).toMatch(/PASS: verified/);
  });

  it('the deploy hook does nothing when verifyAfterDeploy is false', async () => {
    // Prepare
    const notices: string[] = [];
    const plugin = new SmokeTestPlugin(
      fakeServerless('petsage-smoke-test-no-such-stack', {
        smokeTest: { verifyAfterDeploy: false },
      }),
      {},
      { log: { notice: (message: string) => notices.push(message) } },
    );
    // Act
    await plugin.hooks['after:deploy:deploy']();
    // Assess
    expect(notices).toStrictEqual([
      'Smoke test skipped (custom.smokeTest.verifyAfterDeploy is false)',
    ]);
  });

  it('exits 2 when the stage has no stack', async () => {
    // Act
    const run = await runCliProcess(['verify', '--stage', 'missing', '--timeout', '10'], {
      ...MOTO_CREDENTIALS_ENV,
      AWS_ENDPOINT_URL: moto.endpoint,
    });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/stack petsage-smoke-test-missing does not exist/);
  });
});
