// npm run sandbox: the whole deploy gate on this machine, without an AWS account. It starts moto
// (through harness/aws/moto_server_shim.py) as CloudFormation, S3, Lambda, IAM, EventBridge and
// CloudWatch, deploys a stage to it with the project's own framework CLI (verification on),
// serves the deployed route with the deployed bundle (harness/route/route-stand-in.ts, which also plays
// Lambda's log agent into moto's CloudWatch Logs), plays both heartbeats once, and stays up,
// printing the exact commands to try verify, status, history, a failing deploy and its rollback,
// and a third stage in the traffic mode (docs/traffic.md): a broken deploy no caller sees, and a
// rollback by alias.
// Ctrl-C stops everything it started and removes its files. Not proven here: IAM (moto does not
// enforce it), real ingestion delays, API Gateway itself, EventBridge firing schedules.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployRoleEnv } from './aws/deploy-role.ts';
import { MOTO_CREDENTIALS_ENV, motoAvailable, startMoto } from './aws/moto.ts';
import { createRecordsKey } from './aws/records-key.ts';
import scheduledEvent from './lambda/events/scheduled-event.json' with { type: 'json' };
import { SERVERLESS_BIN } from './project/packaged.ts';
import { copyProject } from './project/project-copy.ts';
import {
  ALL_AT_ONCE,
  BREAK_PAYLOAD,
  CANDIDATE_AT_STAND_IN,
  POINT_AT_STAND_IN,
  pinRecordsKey,
} from './project/service-copies.ts';
import { startRouteStandIn } from './route/route-stand-in.ts';

const STAGE = 'sandbox';
const STACK = `petsage-smoke-test-${STAGE}`;
/** A second stage, so a run over many targets (examples/fleet.yml) has two to verify. */
const SECOND = 'sandbox-two';
/** A third stage, in the traffic mode: its route serves the live alias (docs/traffic.md). */
const TRAFFIC = 'sandbox-traffic';
const say = (text: string) => process.stdout.write(`${text}\n`);
// Whoever read our output may be gone (npm stopped alone): a closed pipe must not stop the cleanup.
process.stdout.on('error', () => undefined);

if (!motoAvailable()) {
  process.stderr.write('sandbox: moto_server not found: pip install "moto[server]" cfn-lint\n');
  process.exit(2);
}

const moto = await startMoto();
const dir = await mkdtemp(join(tmpdir(), 'petsage-sandbox-'));
const aws = moto.settings();
// The records key, created once per account and region (docs/signed-records.md).
const pin = await createRecordsKey(aws);
const route = await startRouteStandIn({ stackName: STACK, aws });
const secondRoute = await startRouteStandIn({ stackName: `petsage-smoke-test-${SECOND}`, aws });
const trafficRoute = await startRouteStandIn({ stackName: `petsage-smoke-test-${TRAFFIC}`, aws });
let stopping: Promise<void> | undefined;
const stop = () => {
  stopping ??= (async () => {
    await trafficRoute.stop();
    await secondRoute.stop();
    await route.stop();
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  })();
  return stopping;
};
const shutdown = () => {
  say('\nsandbox: stopping (route stand-in, moto, files)...');
  void stop().then(() => process.exit(0));
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, shutdown);
// npm runs this script through `sh -c`: a signal to npm's pid alone (a script, a CI cancel)
// ends npm and sh, never this process. Once the parent is gone (this process is re-parented),
// stop as on a signal.
const parent = process.ppid;
const orphanWatch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(orphanWatch);
  shutdown();
}, 250);
orphanWatch.unref();

try {
  const good = await copyProject(join(dir, 'good'), [
    POINT_AT_STAND_IN,
    ALL_AT_ONCE,
    pinRecordsKey(pin),
  ]);
  const broken = await copyProject(join(dir, 'broken'), [
    POINT_AT_STAND_IN,
    ALL_AT_ONCE,
    pinRecordsKey(pin),
    BREAK_PAYLOAD,
  ]);
  const trafficGood = await copyProject(join(dir, 'traffic-good'), [
    POINT_AT_STAND_IN,
    CANDIDATE_AT_STAND_IN,
    pinRecordsKey(pin),
  ]);
  await copyProject(join(dir, 'traffic-broken'), [
    POINT_AT_STAND_IN,
    CANDIDATE_AT_STAND_IN,
    pinRecordsKey(pin),
    BREAK_PAYLOAD,
  ]);
  // As the pipeline's deploy role: the bucket guard lets no one else deploy.
  const asDeployRole = await deployRoleEnv(moto, 'petsage-smoke-test-deploy');
  const env = { ...MOTO_CREDENTIALS_ENV, ...asDeployRole, AWS_ENDPOINT_URL: moto.endpoint };
  say(
    `sandbox: moto at ${moto.endpoint}, route stand-in at ${route.baseUrl}; deploying stage ${STAGE}...`,
  );
  /** `serverless deploy` of the good copy to `stage`, its route the stand-in at `url`. */
  const deploy = async (stage: string, url: string, cwd = good) => {
    const child = spawn(
      process.execPath,
      [SERVERLESS_BIN, 'deploy', '--stage', stage, '--param', `standInUrl=${url}`],
      {
        cwd,
        env: {
          ...process.env,
          ...env,
          RELEASE_ID: 'sandbox-good',
          SLS_AWS_MONITORING_FREQUENCY: '200',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const [code] = await once(child, 'exit');
    if (code !== 0) throw new Error(`the deploy of stage ${stage} failed (exit ${code})`);
  };
  await deploy(STAGE, route.baseUrl);
  say(`sandbox: deploying a second stage, ${SECOND}, for a run over many targets...`);
  await deploy(SECOND, secondRoute.baseUrl);
  say(`sandbox: deploying a third stage, ${TRAFFIC}, in the traffic mode...`);
  await deploy(TRAFFIC, trafficRoute.baseUrl, trafficGood);
  // Both heartbeats once, as EventBridge would: the direct one and the route's.
  const schedule = structuredClone(scheduledEvent);
  schedule.resources = [`arn:aws:events:us-east-1:123456789012:rule/${STACK}-heartbeat`];
  await route.invokeDirect(schedule);
  await fetch(`${route.baseUrl}/health`, { headers: { 'x-petsage-heartbeat': 'route-heartbeat' } });
  // The README's walkthrough (its `sh sandbox` blocks) runs with exactly these variables.
  const urls = { STAND_IN_URL: route.baseUrl, TRAFFIC_URL: trafficRoute.baseUrl };
  const exports = Object.entries({ ...env, SANDBOX: dir, ...urls })
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  say(`
sandbox: ready. In another terminal, from this repository:

  export ${exports}
  npx smoke-gate verify --stage ${STAGE} --endpoint-url ${moto.endpoint}
  npx smoke-gate status --stage ${STAGE} --endpoint-url ${moto.endpoint}
  npx smoke-gate history --stage ${STAGE} --endpoint-url ${moto.endpoint}

A failing deploy (a 200 whose body breaks the contract), rolled back and verified again:

  (cd ${broken} && RELEASE_ID=sandbox-broken npx serverless deploy --stage ${STAGE} --param standInUrl=${route.baseUrl})

Then history shows it rolled back, and the good deployment live again.

The same broken deploy left live (--skip-rollback): status names it (exit 1); then back by commit:

  (cd ${broken} && RELEASE_ID=sandbox-broken npx serverless deploy --stage ${STAGE} --param standInUrl=${route.baseUrl} --skip-rollback)
  npx smoke-gate status --stage ${STAGE} --endpoint-url ${moto.endpoint}
  npx smoke-gate history --stage ${STAGE} --endpoint-url ${moto.endpoint}
  (cd ${good} && npx serverless rollback --stage ${STAGE} --param standInUrl=${route.baseUrl} --commit sandbox-good)
  npx smoke-gate verify --stage ${STAGE} --endpoint-url ${moto.endpoint}

The traffic mode (stage ${TRAFFIC}): a broken deploy no caller sees, then a rollback by alias:

  (cd ${dir}/traffic-broken && RELEASE_ID=sandbox-broken npx serverless deploy --stage ${TRAFFIC} --param standInUrl=${trafficRoute.baseUrl})
  (cd ${trafficGood} && RELEASE_ID=sandbox-next npx serverless deploy --stage ${TRAFFIC} --param standInUrl=${trafficRoute.baseUrl})
  (cd ${trafficGood} && npx serverless rollback --stage ${TRAFFIC} --param standInUrl=${trafficRoute.baseUrl} --commit sandbox-good)
  npx smoke-gate history --stage ${TRAFFIC} --endpoint-url ${moto.endpoint}

Both stages in one run, as a run over many stages and regions reads them:

  npx smoke-gate verify --targets examples/fleet.yml

Ctrl-C here stops it all.
Stand-ins: moto (AWS APIs, no IAM enforcement), the route stand-in (the deployed zip under AWS's
runtime client, no API Gateway), its log agent (no real ingestion delay).
sandbox: ready`);
} catch (error) {
  process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  await stop();
  process.exit(1);
}
