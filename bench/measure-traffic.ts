// The traffic mode against the all-at-once mode, same load (one public request every 50 ms at the
// route stand-in, each counted with the code or version that answered): how many requests a
// failing version served during its deploy, and how long from the gate's FAIL to the old version
// serving again. The project's osls deploys copies of the service to moto (shim), the route
// stand-in resolves stage -> alias -> version (docs/traffic.md). The FAIL moment is when the
// gate's line announcing the way back reaches this process (`Rolling back:` for the stack,
// `FAILED on the public route; moving live back` for the alias); "serving again" is the first
// public request the old code answered after it. Not measured: AWS's own CloudFormation (moto
// updates a stack in well under a second; on AWS a stack rollback takes minutes).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployRoleEnv } from '../harness/aws/deploy-role.ts';
import { MOTO_CREDENTIALS_ENV, motoAvailable, startMoto } from '../harness/aws/moto.ts';
import { createRecordsKey } from '../harness/aws/records-key.ts';
import { startNodeScript } from '../harness/project/node-script.ts';
import { SERVERLESS_BIN } from '../harness/project/packaged.ts';
import { copyProject } from '../harness/project/project-copy.ts';
import {
  ALL_AT_ONCE,
  BREAK_PAYLOAD,
  CANDIDATE_AT_STAND_IN,
  POINT_AT_STAND_IN,
  pinRecordsKey,
} from '../harness/project/service-copies.ts';
import {
  type RouteStandIn,
  type ServedRequest,
  startRouteStandIn,
} from '../harness/route/route-stand-in.ts';
import { log } from './settings.ts';

/** The load: one request at a time, this long apart. */
export const TRAFFIC_LOAD_INTERVAL_MS = 50;

/** One mode's failing deploy under load. */
export interface TrafficFigures {
  case: string;
  /** Public requests answered while the deploy ran. */
  requests: number;
  /** Of them, answered by the failing code. */
  servedByFailing: number;
  /** From the gate's FAIL (its line) to the first request the old code answered; null: never left. */
  failToOldMs: number | null;
  exitCode: number | null;
}

const SHORT_TIMEOUT = {
  file: 'serverless.yml',
  from: '    timeout: 120\n',
  to: '    timeout: 15\n',
};

/** A deploy of `copy` to `stage` under load: what the stand-in served and when `marker` was printed. */
export async function deployUnderLoad(
  route: RouteStandIn,
  run: { copy: string; stage: string; release: string; env: NodeJS.ProcessEnv; marker: RegExp },
) {
  const before = route.servedLog().length;
  let loading = true;
  const caller = (async () => {
    while (loading) {
      await fetch(`${route.baseUrl}/health`)
        .then((answer) => answer.arrayBuffer())
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, TRAFFIC_LOAD_INTERVAL_MS));
    }
  })();
  const started = startNodeScript(
    SERVERLESS_BIN,
    ['deploy', '--stage', run.stage, '--param', `standInUrl=${route.baseUrl}`],
    { ...run.env, RELEASE_ID: run.release },
    { cwd: run.copy },
  );
  let markedAt: number | undefined;
  const watch = (chunk: unknown) => {
    if (markedAt === undefined && run.marker.test(String(chunk))) markedAt = Date.now();
  };
  started.child.stdout?.on('data', watch);
  started.child.stderr?.on('data', watch);
  const done = await started.done;
  loading = false;
  await caller;
  const served = route
    .servedLog()
    .slice(before)
    .filter((request) => request.stage === '$default');
  return { served, markedAt, exitCode: done.code };
}

/** From `markedAt` to the first request after it that `isOld` says the old code answered. */
const failToOld = (
  served: ServedRequest[],
  markedAt: number | undefined,
  isOld: (r: ServedRequest) => boolean,
) => {
  if (markedAt === undefined) return null;
  const back = served.find((request) => request.at >= markedAt && isOld(request));
  return back === undefined ? null : back.at - markedAt;
};

/** The three cases side by side: all at once, traffic (fails on the candidate), traffic (fails after promotion). */
export async function measureTraffic(): Promise<{ results?: TrafficFigures[]; skipped?: string }> {
  if (!motoAvailable()) return { skipped: 'moto_server not found' };
  log('traffic mode: failing deploys under load against moto (about a minute)');
  const moto = await startMoto();
  const dir = await mkdtemp(join(tmpdir(), 'petsage-bench-traffic-'));
  const routes: RouteStandIn[] = [];
  try {
    const pin = await createRecordsKey(moto.settings());
    const env = {
      ...MOTO_CREDENTIALS_ENV,
      ...(await deployRoleEnv(moto, 'petsage-smoke-test-deploy')),
      AWS_ENDPOINT_URL: moto.endpoint,
      SLS_AWS_MONITORING_FREQUENCY: '200',
      TMPDIR: join(dir, 'tmp'),
    };
    await mkdir(join(dir, 'tmp'));
    const route = async (stage: string) => {
      const started = await startRouteStandIn({
        stackName: `petsage-smoke-test-${stage}`,
        aws: moto.settings(),
      });
      routes.push(started);
      return started;
    };
    const copy = (name: string, edits: { file: string; from: string; to: string }[]) =>
      copyProject(join(dir, name), [POINT_AT_STAND_IN, pinRecordsKey(pin), ...edits]);
    const results: TrafficFigures[] = [];

    // All at once: the broken version serves from the stack update until the stack rollback ends.
    const allRoute = await route('benchall');
    const allGood = await copy('all-good', [ALL_AT_ONCE]);
    const allBroken = await copy('all-broken', [ALL_AT_ONCE, BREAK_PAYLOAD]);
    await deployUnderLoad(allRoute, {
      copy: allGood,
      stage: 'benchall',
      release: 'good',
      env,
      marker: /$^/,
    });
    const goodCode = allRoute.served()?.codeKey;
    const all = await deployUnderLoad(allRoute, {
      copy: allBroken,
      stage: 'benchall',
      release: 'broken',
      env,
      marker: /Rolling back: /,
    });
    results.push({
      case: 'all at once: a broken deploy, rolled back by the stack',
      requests: all.served.length,
      servedByFailing: all.served.filter((r) => r.code !== undefined && r.code !== goodCode).length,
      failToOldMs: failToOld(all.served, all.markedAt, (r) => r.code === goodCode),
      exitCode: all.exitCode,
    });

    // The traffic mode: the broken version fails on the candidate stage; live never moves.
    const trafficRoute = await route('benchtraffic');
    const trafficEdits = [CANDIDATE_AT_STAND_IN];
    const good = await copy('traffic-good', trafficEdits);
    const broken = await copy('traffic-broken', [...trafficEdits, BREAK_PAYLOAD]);
    const short = await copy('traffic-short', [...trafficEdits, SHORT_TIMEOUT]);
    await deployUnderLoad(trafficRoute, {
      copy: good,
      stage: 'benchtraffic',
      release: 'good',
      env,
      marker: /$^/,
    });
    const liveBefore = trafficRoute.servedLog().at(-1)?.version;
    const candidate = await deployUnderLoad(trafficRoute, {
      copy: broken,
      stage: 'benchtraffic',
      release: 'broken',
      env,
      marker: /did not pass on the candidate stage/,
    });
    results.push({
      case: 'traffic mode: a broken deploy, failed on the candidate stage',
      requests: candidate.served.length,
      servedByFailing: candidate.served.filter((r) => r.version !== liveBefore).length,
      failToOldMs: null,
      exitCode: candidate.exitCode,
    });

    // The traffic mode: a version that passes on the candidate stage and fails on the public one.
    trafficRoute.dropLines(({ stage, version }) => stage === '$default' && version !== liveBefore);
    const promoted = await deployUnderLoad(trafficRoute, {
      copy: short,
      stage: 'benchtraffic',
      release: 'public-fails',
      env,
      marker: /FAILED on the public route; moving live back/,
    });
    results.push({
      case: 'traffic mode: passed on the candidate stage, failed on the public route',
      requests: promoted.served.length,
      servedByFailing: promoted.served.filter((r) => r.version !== liveBefore).length,
      failToOldMs: failToOld(promoted.served, promoted.markedAt, (r) => r.version === liveBefore),
      exitCode: promoted.exitCode,
    });
    return { results };
  } finally {
    for (const started of routes) await started.stop();
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
