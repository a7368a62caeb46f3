// The gate under Serverless Framework v3 (3.40.0): the second service (examples/plain-js-service)
// deployed to moto by v3 itself, with the packed gate installed as another team would. v3 comes
// from tests/fixtures/serverless-v3's lockfile (harness/project/serverless-v3.ts: scripts off,
// cached per lockfile in the user's cache folder, telemetry off). Stand-ins, each named: moto
// (through harness/aws/moto_server_shim.py), the route stand-in (the zip under AWS's runtime
// client), and a test-only plugin (harness/aws/moto-endpoint-v3.cjs) that points v3's aws-sdk v2
// at moto, which it would not find from AWS_ENDPOINT_URL. v3's schema stops at nodejs20.x, so the
// copy validates with `warn` (as a v3 user of nodejs22.x must). Not proven: v3 against AWS itself.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deployRoleEnv } from '../../harness/aws/deploy-role.ts';
import {
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import { createRecordsKey } from '../../harness/aws/records-key.ts';
import {
  BREAK_PONG,
  breakGateInstall,
  copyGateFrom,
  exampleCopy,
  installGate,
  TRAFFIC_AT_STAND_IN,
} from '../../harness/project/example-copies.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import {
  installServerlessV3,
  SERVERLESS_V3_ENV,
  serverlessV3Bin,
} from '../../harness/project/serverless-v3.ts';
import { pinRecordsKey } from '../../harness/project/service-copies.ts';
import { type RouteStandIn, startRouteStandIn } from '../../harness/route/route-stand-in.ts';
import type { RecordsKeyPin } from '../../packages/smoke-gate/src/deployments/records-key-pin.ts';
import { runNodeScript } from '../helpers/cli.ts';
import { underLoad, versionRuns } from '../helpers/route-load.ts';

const hasMoto = motoForSuite('the Serverless v3 suite');
const STAGE = 'vthree';
/** A second stage, in the traffic mode from its first deploy (docs/traffic.md). */
const TRAFFIC_STAGE = 'vthreetraffic';
const TIMEOUT = 120_000;

let moto: Moto;
let route: RouteStandIn;
let trafficRoute: RouteStandIn;
let v3: string;
let dir: string;
let good: string;
let broken: string;
/** The records key made for this moto run, pinned in every copy. */
let pin: RecordsKeyPin;
/** The deploy role's credentials in moto (the bucket guard lets no one else deploy). */
let asDeployRole: Awaited<ReturnType<typeof deployRoleEnv>>;

/** What a v3 copy needs: the moto plugin before the gate, nodejs22.x through v3's schema. */
const V3_EDITS = [
  { file: 'serverless.yml', from: 'configValidationMode: error', to: 'configValidationMode: warn' },
  {
    file: 'serverless.yml',
    from: "  - '@petsage/smoke-gate'",
    to: "  - ./moto-endpoint-v3.cjs\n  - '@petsage/smoke-gate'",
  },
];

/** A copy for v3 with the gate installed from the tarball (or `from` a copy that has it). */
async function v3Copy(
  name: string,
  gate: { tarball: string } | { from: string },
  edits = V3_EDITS,
) {
  const copy = await exampleCopy(dir, name, [pinRecordsKey(pin), ...edits]);
  await cp(
    join(PROJECT_DIR, 'harness/aws/moto-endpoint-v3.cjs'),
    join(copy, 'moto-endpoint-v3.cjs'),
  );
  if ('tarball' in gate) await installGate(copy, gate.tarball);
  else await copyGateFrom(copy, gate.from);
  return copy;
}

/** Serverless v3 in a copy, against moto (on `stage`, served by its route stand-in). */
const serverless = (
  cwd: string,
  args: string[],
  release: string,
  stage = { name: STAGE, route: () => route },
) =>
  runNodeScript(
    serverlessV3Bin(v3),
    [...args, '--stage', stage.name, '--param', `standInUrl=${stage.route().baseUrl}`],
    {
      ...MOTO_CREDENTIALS_ENV,
      ...asDeployRole,
      ...SERVERLESS_V3_ENV,
      AWS_ENDPOINT_URL: moto.endpoint,
      SLS_V3_DIR: v3,
      SLS_AWS_MONITORING_FREQUENCY: '200',
      RELEASE_ID: release,
      NO_COLOR: '1',
    },
    { cwd },
  ).then((run) => ({ ...run, output: run.stdout + run.stderr }));

describe.skipIf(!hasMoto).sequential('the gate under Serverless v3 (3.40.0)', () => {
  beforeAll(async () => {
    v3 = await installServerlessV3();
    moto = await startMoto();
    // The records key, once per account and region (docs/signed-records.md).
    pin = await createRecordsKey(moto.settings(), 'plain-js-ping');
    asDeployRole = await deployRoleEnv(moto, 'plain-js-ping-deploy');
    route = await startRouteStandIn({
      stackName: `plain-js-ping-${STAGE}`,
      aws: moto.settings(),
    });
    trafficRoute = await startRouteStandIn({
      stackName: `plain-js-ping-${TRAFFIC_STAGE}`,
      aws: moto.settings(),
    });
    dir = await mkdtemp(join(tmpdir(), 'example-v3-'));
    const { tarball } = inject('packedGate');
    good = await v3Copy('good', { tarball });
    broken = await v3Copy('broken', { from: good }, [...V3_EDITS, BREAK_PONG]);
  }, 240_000);
  afterAll(async () => {
    await route?.stop();
    await trafficRoute?.stop();
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is Serverless 3.40.0, not the osls this repository runs', { timeout: TIMEOUT }, async () => {
    // Act
    const run = await serverless(good, ['--version'], 'v0');
    // Assess
    expect(run.output).toMatch(/Framework Core: 3\.40\.0/);
  });

  it('deploys and passes the gate', { timeout: TIMEOUT }, async () => {
    // Act
    const run = await serverless(good, ['deploy'], 'v1');
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/PASS {2}route {5}HTTP 200/);
    expect(run.output).toMatch(/Smoke test passed/);
    // A tested framework: no notice that it is not.
    expect(run.output).not.toMatch(/untested/);
  });

  it('fails a broken deploy and rolls it back to the verified one', {
    timeout: TIMEOUT,
  }, async () => {
    // Act
    const run = await serverless(broken, ['deploy'], 'v2');
    // Assess
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/body pong false, expected true/);
    expect(run.output).toMatch(
      /Rolled back to the last verified deployment .*, which PASSES again/,
    );
  });

  it('verifies the live stage again with serverless smoke', { timeout: TIMEOUT }, async () => {
    // Act
    const run = await serverless(good, ['smoke', '--json'], 'v1');
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'verified' });
  });

  it('rolls back to a commit with rollback --commit, and verifies what it restored', {
    timeout: TIMEOUT,
  }, async () => {
    // Prepare: a newer verified deployment (v3) on top of v1.
    const newer = await serverless(good, ['deploy'], 'v3');
    expect(newer.code, newer.output).toBe(0);
    // Act
    const run = await serverless(good, ['rollback', '--commit', 'v1'], 'v3');
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Rolling back to \S+, the newest deployment of commit v1/);
    expect(run.output).toMatch(/PASS: verified/);
  });

  it('says the stack is deployed, live and not verified when the gate breaks after it (exit 2)', {
    timeout: TIMEOUT,
  }, async () => {
    // Prepare: a broken install of the gate.
    const crashing = await v3Copy('crashing', { from: good });
    await breakGateInstall(crashing);
    // Act
    const run = await serverless(crashing, ['deploy'], 'v4');
    // Assess
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(/Smoke test could not run after the stack deployed: /);
    expect(run.output).toMatch(
      /Stack plain-js-ping-vthree IS deployed: its new deployment is live and NOT verified/,
    );
    expect(run.output).toMatch(/serverless rollback --stage vthree --region us-east-1 --commit/);
  });

  /** A deploy of the traffic-mode stage under v3, while a caller keeps hitting its public route. */
  const deployTraffic = (copy: string, release: string) =>
    underLoad(trafficRoute, '/ping', () =>
      serverless(copy, ['deploy'], release, { name: TRAFFIC_STAGE, route: () => trafficRoute }),
    );

  it('in the traffic mode, promotes a version that passed on the candidate stage', {
    timeout: TIMEOUT,
  }, async () => {
    // Prepare
    const copy = await v3Copy('traffic-good', { from: good }, [...V3_EDITS, TRAFFIC_AT_STAND_IN]);
    // Act
    const { result: run, served } = await deployTraffic(copy, 't1');
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Traffic mode: live moved to version \d+ in one alias update/);
    expect(versionRuns(served).at(-1)).toMatch(/^\d+$/);
  });

  it('in the traffic mode, serves every caller the old version while a broken one fails', {
    timeout: TIMEOUT,
  }, async () => {
    // Prepare
    const copy = await v3Copy('traffic-broken', { from: good }, [
      ...V3_EDITS,
      TRAFFIC_AT_STAND_IN,
      BREAK_PONG,
    ]);
    const before = trafficRoute.servedLog().at(-1)?.version;
    // Act
    const { result: run, served } = await deployTraffic(copy, 't2');
    // Assess
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(
      new RegExp(`no caller reached version \\d+: live still serves version ${before}`),
    );
    expect(versionRuns(served)).toStrictEqual([before]);
  });
});
