// Many stages in two regions against moto_server as CloudFormation, CloudWatch (alarms) and
// CloudWatch Logs: `verify` and `status` over every stage in every region in one run. Each stage
// is played as its deployed stack would leave it: a stack with the outputs the verifier reads
// (CreateStack, not `serverless deploy`: deploy-moto.test.ts proves that path), alarms, and a
// log group. The routes are the fleet route (harness/route/fleet-route.ts): the function's own
// respondToSmokeTest per stage, its lines shipped into that stage's region in moto. Not proven
// here: API Gateway, Lambda, CloudWatch's quota (fleet.test.ts has a stand-in that enforces one).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogAgent } from '../../harness/aws/log-agent.ts';
import {
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import routeHeartbeatEvent from '../../harness/lambda/events/http-api-route-heartbeat.json' with {
  type: 'json',
};
import scheduledEvent from '../../harness/lambda/events/scheduled-event.json' with { type: 'json' };
import {
  type FleetRoute,
  type FleetStage,
  startFleetRoute,
} from '../../harness/route/fleet-route.ts';
import type { FleetStatusReport } from '../../packages/smoke-gate/src/fleet/fleet-status.ts';
import type { FleetReport } from '../../packages/smoke-gate/src/fleet/run-fleet.ts';
import { runCliProcess } from '../helpers/cli.ts';
import { PETSAGE_GATE_METADATA } from '../helpers/petsage-contract.ts';
import { putAlarmsInOk } from '../helpers/stage-alarms.ts';

const hasMoto = motoForSuite('the many-stages suite');

const REGIONS = ['eu-west-1', 'us-east-1'] as const;

/** Every stage in every region, as a user types it. */
const DEV_AND_PROD_IN_BOTH_REGIONS = [
  '--stage',
  'dev',
  '--stage',
  'prod',
  '--region',
  REGIONS[0],
  '--region',
  REGIONS[1],
];

let moto: Moto;
let route: FleetRoute;
let dir: string;

/** Names as serverless.yml makes them for a stage. */
const namesOf = (stage: string) => ({
  stack: `petsage-smoke-test-${stage}`,
  group: `/aws/lambda/petsage-smoke-test-${stage}-health`,
  alarms: {
    heartbeat: `petsage-smoke-test-${stage}-heartbeat-missing`,
    route: `petsage-smoke-test-${stage}-route-heartbeat-missing`,
    failure: `petsage-smoke-test-${stage}-smoke-failed`,
  },
});

/** A stage deployed in a region, as its stack leaves it; both its heartbeats have just run. */
async function deployStage(stage: string, region: string, fault?: FleetStage['fault']) {
  const names = namesOf(stage);
  const key = `${stage}-${region}`;
  route.add({ key, region, logGroupName: names.group, ...(fault === undefined ? {} : { fault }) });
  await new CloudFormationClient(moto.settings(region)).send(
    new CreateStackCommand({
      StackName: names.stack,
      TemplateBody: JSON.stringify({
        // The contract as the plugin stores it at package time: each stack carries its own.
        Metadata: PETSAGE_GATE_METADATA,
        Resources: { Placeholder: { Type: 'AWS::SNS::Topic' } },
        Outputs: {
          HealthEndpointUrl: { Value: route.urlOf(key) },
          HealthLogGroupName: { Value: names.group },
          HeartbeatAlarmName: { Value: names.alarms.heartbeat },
          RouteHeartbeatAlarmName: { Value: names.alarms.route },
          FailureAlarmName: { Value: names.alarms.failure },
        },
      }),
    }),
  );
  const cloudWatch = new CloudWatchClient(moto.settings(region));
  await putAlarmsInOk(cloudWatch, Object.values(names.alarms));
  await new CloudWatchLogsClient(moto.settings(region)).send(
    new CreateLogGroupCommand({ logGroupName: names.group }),
  );
  await route.invokeDirect(key, structuredClone(scheduledEvent));
  await route.invokeDirect(key, structuredClone(routeHeartbeatEvent));
}

const cli = (args: string[]) =>
  runCliProcess([...args, '--timeout', '60'], {
    ...MOTO_CREDENTIALS_ENV,
    AWS_ENDPOINT_URL: moto.endpoint,
  });

describe.skipIf(!hasMoto)('many stages in two regions against moto', () => {
  beforeAll(async () => {
    moto = await startMoto();
    dir = await mkdtemp(join(tmpdir(), 'petsage-fleet-moto-'));
    // Lambda's log agent: each line goes into its stage's group, in its stage's region.
    const agents = new Map<string, ReturnType<typeof createLogAgent>>();
    route = await startFleetRoute({
      ship: async ({ stage, event }) => {
        const id = `${stage.region} ${stage.logGroupName}`;
        const agent =
          agents.get(id) ??
          createLogAgent({
            logs: new CloudWatchLogsClient(moto.settings(stage.region)),
            logGroupName: stage.logGroupName,
          });
        agents.set(id, agent);
        await agent.ship([event]);
      },
    });
    for (const region of REGIONS) {
      await deployStage('dev', region);
      await deployStage('prod', region);
    }
    await deployStage('staging', 'eu-west-1');
    await deployStage('broken', 'us-east-1', 'wrong-answer');
  }, 120_000);

  afterAll(async () => {
    await route?.stop();
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('verifies every --stage in every --region in one run, each read from its own region', async () => {
    // Act
    const run = await cli(['verify', ...DEV_AND_PROD_IN_BOTH_REGIONS, '--json']);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as FleetReport;
    expect(report.targets.map((t) => [t.name, t.verdict])).toStrictEqual([
      ['dev eu-west-1', 'verified'],
      ['dev us-east-1', 'verified'],
      ['prod eu-west-1', 'verified'],
      ['prod us-east-1', 'verified'],
    ]);
    // Each region's stack points at its own route: the URL proves which stack was read.
    for (const target of report.targets) {
      expect(target.report?.url).toBe(route.urlOf(target.name.replace(' ', '-')));
    }
  }, 90_000);

  it('fails the run on the one broken stage while reporting the others verified, and cannot judge a missing one', async () => {
    // Prepare
    const file = join(dir, 'targets.yml');
    await writeFile(
      file,
      [
        'targets:',
        '  - { stage: dev, region: eu-west-1 }',
        '  - { stage: staging, region: eu-west-1 }',
        '  - { name: broken-us, stage: broken, region: us-east-1 }',
        '  - { name: staging-us, stage: staging, region: us-east-1 }',
      ].join('\n'),
    );
    // Act
    const run = await cli(['verify', '--targets', file]);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^ {2}dev eu-west-1 +eu-west-1 +200 in \d+ ms +\d+\.\d s +verified$/m,
    );
    expect(run.stdout).toMatch(
      /^ {2}staging eu-west-1 +eu-west-1 +200 in \d+ ms +\d+\.\d s +verified$/m,
    );
    expect(run.stdout).toMatch(/^ {2}broken-us +us-east-1 +200 in \d+ ms +- +FAILED$/m);
    expect(run.stdout).toMatch(
      /^ {2}staging-us: stack petsage-smoke-test-staging does not exist in region us-east-1/m,
    );
    expect(run.stdout).toMatch(/^FAIL: 4 target\(s\): 2 verified, 1 failed, 1 could not judge/m);
  }, 90_000);

  it('reads status over the same targets in one table, and says which stage is alarming', async () => {
    // Prepare
    await new CloudWatchClient(moto.settings('us-east-1')).send(
      new SetAlarmStateCommand({
        AlarmName: namesOf('prod').alarms.failure,
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed: 1 datapoint [2.0]',
      }),
    );
    // Act
    const run = await cli(['status', ...DEV_AND_PROD_IN_BOTH_REGIONS, '--json']);
    // Assess
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as FleetStatusReport;
    expect(report.targets.map((t) => [t.name, t.status])).toStrictEqual([
      ['dev eu-west-1', 'healthy'],
      ['dev us-east-1', 'healthy'],
      ['prod eu-west-1', 'healthy'],
      ['prod us-east-1', 'alarming'],
    ]);
    expect(report.summary).toStrictEqual({
      targets: 4,
      healthy: 3,
      unhealthy: 1,
      couldNotJudge: 0,
    });
  }, 90_000);
});
