// The gate in a second service: examples/plain-js-service (plain JS, console.log under Lambda's
// Text format, its own route, header, event and correlation key, nodejs22.x), with the gate as
// another team gets it. The gate is packed (`npm pack`), the tarball installed into a temporary
// copy of the example with npm (`--prefer-offline`: from the cache the root `npm ci` filled, the
// registry only for what it lacks), and the example's own framework (osls) deploys it to moto.
// Stand-ins, each named: moto_server through harness/aws/moto_server_shim.py (CloudFormation,
// S3, Lambda, IAM, EventBridge, CloudWatch Logs; no HTTP API, metric filters or alarms), and
// harness/route/route-stand-in.ts, which serves the zip the stack points at under AWS's own
// runtime client (aws-lambda-ric, so the Text format is the runtime's) and copies its lines into
// the stack's log group. Not proven: API Gateway, Lambda's sandbox, CloudWatch's filter engine.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { type RouteStandIn, startRouteStandIn } from '../../harness/route/route-stand-in.ts';
import { runNodeScript } from '../helpers/cli.ts';

const hasMoto = motoForSuite('the example-service suite');
const EXAMPLE = join(PROJECT_DIR, 'examples/plain-js-service');
const STAGE = 'example';
const SERVICE = 'petsage-plain-js';
const TIMEOUT = 120_000;

let moto: Moto;
let route: RouteStandIn;
let dir: string;
let good: string;
let broken: string;

/** npm on this process's Node, quiet. */
const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });

/** A copy of the example, its route pointed at the stand-in (moto creates no HTTP API). */
async function exampleCopy(name: string, edit?: { from: string; to: string }): Promise<string> {
  const copy = join(dir, name);
  await cp(EXAMPLE, copy, { recursive: true });
  const config = join(copy, 'serverless.yml');
  const text = await readFile(config, 'utf8');
  await writeFile(
    config,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a serverless.yml variable, not JS.
    text.replace('  smokeTest:\n', '  smokeTest:\n    url: ${param:standInUrl}/ping\n'),
  );
  if (edit !== undefined) {
    const handler = join(copy, 'handler.js');
    const code = await readFile(handler, 'utf8');
    expect(code).toContain(edit.from);
    await writeFile(handler, code.replace(edit.from, edit.to));
  }
  return copy;
}

/** The environment of a run against moto. */
const env = (release: string) => ({
  ...MOTO_CREDENTIALS_ENV,
  AWS_ENDPOINT_URL: moto.endpoint,
  SLS_AWS_MONITORING_FREQUENCY: '200',
  RELEASE_ID: release,
  NO_COLOR: '1',
});

/** The example's own framework (osls, installed in the copy), deploying to moto. */
const deploy = (cwd: string, release: string) =>
  runNodeScript(
    join(cwd, 'node_modules/serverless/bin/serverless.js'),
    ['deploy', '--stage', STAGE, '--param', `standInUrl=${route.baseUrl}`],
    env(release),
    { cwd },
  ).then((run) => ({ ...run, output: run.stdout + run.stderr }));

/** The installed gate's CLI, run from a folder that holds no service. */
const gate = async (args: string[]) => {
  const elsewhere = await mkdtemp(join(dir, 'elsewhere-'));
  return runNodeScript(
    join(good, 'node_modules/@petsage/smoke-gate/bin/petsage-smoke.js'),
    [...args, '--service', SERVICE, '--stage', STAGE, '--endpoint-url', moto.endpoint],
    env('cli'),
    { cwd: elsewhere },
  );
};

describe
  .skipIf(!hasMoto)
  .sequential('the gate in a second service (examples/plain-js-service)', () => {
    beforeAll(async () => {
      moto = await startMoto();
      route = await startRouteStandIn({
        stackName: `${SERVICE}-${STAGE}`,
        aws: {
          region: 'us-east-1',
          endpoint: moto.endpoint,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        },
      });
      dir = await mkdtemp(join(tmpdir(), 'example-service-'));
      const pack = npm(
        ['pack', '--json', '--pack-destination', dir],
        join(PROJECT_DIR, 'packages/smoke-gate'),
      );
      expect(pack.status, pack.stderr).toBe(0);
      const tarball = join(dir, JSON.parse(pack.stdout)[0].filename);
      good = await exampleCopy('good');
      const install = npm(
        ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball],
        good,
      );
      expect(install.status, install.stderr).toBe(0);
      // The broken version is one configured value off: it answers pong false.
      broken = await exampleCopy('broken', {
        from: 'JSON.stringify({ pong: true,',
        to: 'JSON.stringify({ pong: false,',
      });
      await cp(join(good, 'node_modules'), join(broken, 'node_modules'), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }, TIMEOUT);
    afterAll(async () => {
      await route?.stop();
      await moto?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('deploys and passes the gate on its own route, header and Text-format line', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const run = await deploy(good, 'v1');
      // Assess
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(/PASS {2}route {5}HTTP 200/);
      expect(run.output).toMatch(/PASS {2}log line/);
      expect(route.served()?.routes).toStrictEqual(['GET /ping']);
    });

    it('fails a version that breaks one configured value, and rolls back to the verified one', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const run = await deploy(broken, 'v2');
      // Assess
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(/body pong false, expected true/);
      expect(run.output).toMatch(
        /Rolled back to the last verified deployment .*, which PASSES again/,
      );
    });

    it('verifies from a folder that holds no service, with the contract read from the stack', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const run = await gate(['verify', '--json']);
      // Assess
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        verdict: 'verified',
        url: `${route.baseUrl}/ping`,
        log: { found: true },
      });
    });

    it('lists its history from there: the rolled-back version and the one live again', {
      timeout: TIMEOUT,
    }, async () => {
      // Act
      const run = await gate(['history', '--json']);
      // Assess
      expect(run.code, run.stderr).toBe(0);
      const entries = (
        JSON.parse(run.stdout) as {
          deployments: { commit: string; verdict: string; live: boolean }[];
        }
      ).deployments.map((entry) => [entry.commit, entry.verdict, entry.live]);
      expect(entries).toStrictEqual(
        expect.arrayContaining([
          ['v1', 'restored', true],
          ['v2', 'rolled-back', false],
        ]),
      );
      expect(entries).toHaveLength(2);
    });
  });
