// A canary stopped by an alarm, under load (docs/traffic.md): the project's osls deploys a copy of
// this service with `canary: { percent: 10, minutes: 1 }` to moto while one caller hits the public
// route every TRAFFIC_LOAD_INTERVAL_MS; ALARM_AFTER_MS after the live alias is weighted (the
// step), the bench sets the stage's failure alarm to ALARM (moto's SetAlarmState). Measured: from
// that moment to the old version serving every request after it, and the share of the requests the new version served
// while weighted, against its 10%. The route stand-in picks a weighted alias's version by a seeded
// draw, as Lambda does by weight. Not measured: CloudWatch's own alarm evaluation (minutes on AWS,
// before the alarm changes state), which comes before the gate's check.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { deployRoleEnv } from '../harness/aws/deploy-role.ts';
import {
  MOTO_CREDENTIALS_ENV,
  type MotoSettings,
  motoAvailable,
  startMoto,
} from '../harness/aws/moto.ts';
import { createRecordsKey } from '../harness/aws/records-key.ts';
import { copyProject } from '../harness/project/project-copy.ts';
import {
  CANARY_AT_STAND_IN,
  POINT_AT_STAND_IN,
  pinRecordsKey,
} from '../harness/project/service-copies.ts';
import { startRouteStandIn } from '../harness/route/route-stand-in.ts';
import { deployUnderLoad } from './measure-traffic.ts';
import { log } from './settings.ts';

const STAGE = 'benchshift';
const STACK = `petsage-smoke-test-${STAGE}`;
/** The alarm fires this long after the step began: after its first check, before its next. */
export const ALARM_AFTER_MS = 10_000;

/** The stopped canary's figures. */
export interface ShiftFigures {
  configuredPercent: number;
  /** Public requests answered while live was weighted (the step began to the move back). */
  weightedRequests: number;
  /** Of them, answered by the new version. */
  servedByNew: number;
  /** From the alarm's change to ALARM to the first request after which only the old version answered. */
  alarmToAllOldMs: number | null;
  exitCode: number | null;
}

/**
 * Polls the live alias (the framework's output comes in chunks, too late to time by): when it is
 * weighted (the step), sets `alarm` to ALARM after ALARM_AFTER_MS; notes when it is whole again.
 */
function watchShift(settings: MotoSettings, alarm: string) {
  const lambda = new LambdaClient(settings);
  const cloudWatch = new CloudWatchClient(settings);
  const times: { stepAt?: number; alarmAt?: number; backAt?: number } = {};
  let watching = true;
  const poll = (async () => {
    while (watching && times.backAt === undefined) {
      const alias = await lambda
        .send(new GetAliasCommand({ FunctionName: `${STACK}-health`, Name: 'live' }))
        .catch(() => undefined);
      const weights = alias?.RoutingConfig?.AdditionalVersionWeights ?? {};
      const weighted = Object.keys(weights).length > 0;
      if (weighted && times.stepAt === undefined) {
        times.stepAt = Date.now();
        setTimeout(() => {
          times.alarmAt = Date.now();
          void cloudWatch.send(
            new SetAlarmStateCommand({
              AlarmName: alarm,
              StateValue: 'ALARM',
              StateReason: 'bench',
            }),
          );
        }, ALARM_AFTER_MS);
      }
      if (!weighted && times.alarmAt !== undefined) times.backAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop: async () => {
      watching = false;
      await poll;
      return times;
    },
  };
}

/** The stage's failure alarm, by the stack's output. */
async function failureAlarm(
  settings: ReturnType<Awaited<ReturnType<typeof startMoto>>['settings']>,
) {
  const stacks = await new CloudFormationClient(settings).send(
    new DescribeStacksCommand({ StackName: STACK }),
  );
  const output = stacks.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'FailureAlarmName');
  return output?.OutputValue ?? '';
}

/** A canary of 10% stopped by an alarm, under load. */
export async function measureShift(): Promise<{ results?: ShiftFigures; skipped?: string }> {
  if (!motoAvailable()) return { skipped: 'moto_server not found' };
  log('traffic shift: a canary stopped by an alarm, under load, against moto');
  const moto = await startMoto();
  const dir = await mkdtemp(join(tmpdir(), 'petsage-bench-shift-'));
  const route = await startRouteStandIn({ stackName: STACK, aws: moto.settings(), seed: 11 });
  try {
    const pin = await createRecordsKey(moto.settings());
    await mkdir(join(dir, 'tmp'));
    const env = {
      ...MOTO_CREDENTIALS_ENV,
      ...(await deployRoleEnv(moto, 'petsage-smoke-test-deploy')),
      AWS_ENDPOINT_URL: moto.endpoint,
      SLS_AWS_MONITORING_FREQUENCY: '200',
      TMPDIR: join(dir, 'tmp'),
    };
    const copy = await copyProject(join(dir, 'canary'), [
      POINT_AT_STAND_IN,
      CANARY_AT_STAND_IN,
      pinRecordsKey(pin),
    ]);
    const run = (release: string) =>
      deployUnderLoad(route, { copy, stage: STAGE, release, env, marker: /$^/ });
    await run('good');
    const liveBefore = route.servedLog().at(-1)?.version;
    const alarm = await failureAlarm(moto.settings());
    const from = route.servedLog().length;
    const watched = watchShift(moto.settings(), alarm);
    const { exitCode } = await run('next');
    const { stepAt, alarmAt, backAt } = await watched.stop();
    const served = route
      .servedLog()
      .slice(from)
      .filter((r) => r.stage === '$default');
    // Weighted: from the alias's weights appearing to their going.
    const weighted = served.filter(
      (r) => stepAt !== undefined && r.at >= stepAt && r.at <= (backAt ?? Number.POSITIVE_INFINITY),
    );
    const lastNew = served.findLastIndex(
      (r) => r.version !== liveBefore && r.version !== undefined,
    );
    const allOld = served.slice(lastNew + 1).find((r) => r.version === liveBefore);
    return {
      results: {
        configuredPercent: 10,
        weightedRequests: weighted.length,
        servedByNew: weighted.filter((r) => r.version !== liveBefore).length,
        alarmToAllOldMs:
          alarmAt === undefined || allOld === undefined ? null : Math.max(allOld.at - alarmAt, 0),
        exitCode,
      },
    };
  } finally {
    await route.stop();
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
