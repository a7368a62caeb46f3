// Stages in three AWS accounts and two regions, verified in one run, each target with its own
// account's credentials (a role assumed there), against moto_server: CloudFormation, CloudWatch
// Logs, IAM and STS, with accounts kept apart (a role ARN's account is where its credentials act).
// The stacks, log groups and roles of the other accounts are made as those accounts
// (moto's `x-moto-account-id`). moto assumes any role and checks no external id, so the shim
// (harness/aws/moto_server_shim.py, item 6) refuses a role that does not exist or is asked with
// the wrong external id, as STS does. Not proven here: IAM evaluating the trust and permission
// policies (moto evaluates none), SSO and shared-config profiles, CloudWatch's quota per account.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
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
import { type FleetRoute, startFleetRoute } from '../../harness/route/fleet-route.ts';
import type { FleetStatusReport } from '../../packages/smoke-gate/src/fleet/fleet-status.ts';
import type { FleetReport } from '../../packages/smoke-gate/src/fleet/run-fleet.ts';
import { runCliProcess } from '../helpers/cli.ts';
import { PETSAGE_GATE_METADATA } from '../helpers/petsage-contract.ts';
import { putAlarmsInOk } from '../helpers/stage-alarms.ts';

const hasMoto = motoForSuite('the many-accounts suite');

/** The run's own account (moto's default), and two member accounts reached by role. */
const OWN = '123456789012';
const STAGING = '111111111111';
const PROD = '222222222222';
const REGIONS = ['eu-west-1', 'us-east-1'] as const;
const EXTERNAL_ID = 'petsage-ci';
const roleIn = (account: string, name = 'petsage-verify') => `arn:aws:iam::${account}:role/${name}`;

let moto: Moto;
let route: FleetRoute;
let dir: string;
/** Each stage key's account, for the log agent to ship its lines there. */
const accountOf = new Map<string, string>();

/** Settings for a client that acts in `account` (moto's account header). */
const as = (account: string, region = 'us-east-1') => ({
  ...moto.settings(region),
  account,
});

/** Makes `client` act in `account`, as moto reads it from a header. */
function inAccount<T extends { middlewareStack: { add: (...args: never[]) => void } }>(
  client: T,
  account: string,
): T {
  (client.middlewareStack as unknown as { add: (mw: unknown, opts: unknown) => void }).add(
    (next: (args: { request: { headers: Record<string, string> } }) => unknown) =>
      (args: { request: { headers: Record<string, string> } }) => {
        args.request.headers['x-moto-account-id'] = account;
        return next(args);
      },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

/** The heartbeat alarm's name of a stage: the same in every account that has the stage. */
const heartbeatAlarmOf = (stage: string) => `petsage-smoke-test-${stage}-heartbeat-missing`;

/**
 * A stage as its deploy leaves it, in `account` and `region`, its heartbeat line shipped. With
 * `alarms`, its stack names its heartbeat alarms, made in that account and set to OK, and the
 * route heartbeat has run too.
 */
async function deployStage(account: string, stage: string, region: string, alarms = false) {
  const key = `${account}-${stage}-${region}`;
  const group = `/aws/lambda/petsage-smoke-test-${stage}-health`;
  const alarmNames = [
    heartbeatAlarmOf(stage),
    `petsage-smoke-test-${stage}-route-heartbeat-missing`,
  ];
  accountOf.set(key, account);
  route.add({ key, region, logGroupName: group });
  const settings = as(account, region);
  await inAccount(new CloudFormationClient(settings), account).send(
    new CreateStackCommand({
      StackName: `petsage-smoke-test-${stage}`,
      TemplateBody: JSON.stringify({
        Metadata: PETSAGE_GATE_METADATA,
        Resources: { Placeholder: { Type: 'AWS::SNS::Topic' } },
        Outputs: {
          HealthEndpointUrl: { Value: route.urlOf(key) },
          HealthLogGroupName: { Value: group },
          ...(alarms
            ? {
                HeartbeatAlarmName: { Value: alarmNames[0] },
                RouteHeartbeatAlarmName: { Value: alarmNames[1] },
              }
            : {}),
        },
      }),
    }),
  );
  await inAccount(new CloudWatchLogsClient(settings), account).send(
    new CreateLogGroupCommand({ logGroupName: group }),
  );
  if (alarms) await putAlarmsInOk(inAccount(new CloudWatchClient(settings), account), alarmNames);
  await route.invokeDirect(key, structuredClone(scheduledEvent));
  if (alarms) await route.invokeDirect(key, structuredClone(routeHeartbeatEvent));
}

/** The member account's verify role, trusting the CI's account with an external id. */
async function createVerifyRole(account: string) {
  await inAccount(new IAMClient(as(account)), account).send(
    new CreateRoleCommand({
      RoleName: 'petsage-verify',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${OWN}:root` },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
          },
        ],
      }),
    }),
  );
}

const cli = (args: string[]) =>
  runCliProcess([...args, '--timeout', '60'], {
    ...MOTO_CREDENTIALS_ENV,
    AWS_ENDPOINT_URL: moto.endpoint,
  });

/** `verify` of prod in eu-west-1, in the prod account, through its role asked with `externalId`. */
const verifyProd = (externalId: string, extra: string[] = []) =>
  cli([
    'verify',
    '--stage',
    'prod',
    '--region',
    'eu-west-1',
    '--role-arn',
    roleIn(PROD),
    '--external-id',
    externalId,
    ...extra,
  ]);

describe.skipIf(!hasMoto)('stages in three accounts and two regions, in one run', () => {
  beforeAll(async () => {
    moto = await startMoto();
    dir = await mkdtemp(join(tmpdir(), 'petsage-accounts-'));
    const agents = new Map<string, ReturnType<typeof createLogAgent>>();
    route = await startFleetRoute({
      ship: async ({ stage, event }) => {
        const account = accountOf.get(stage.key) ?? OWN;
        const id = `${account} ${stage.region} ${stage.logGroupName}`;
        const agent =
          agents.get(id) ??
          createLogAgent({
            logs: inAccount(new CloudWatchLogsClient(as(account, stage.region)), account),
            logGroupName: stage.logGroupName,
          });
        agents.set(id, agent);
        await agent.ship([event]);
      },
    });
    await createVerifyRole(STAGING);
    await createVerifyRole(PROD);
    for (const region of REGIONS) {
      await deployStage(OWN, 'dev', region);
      await deployStage(STAGING, 'staging', region);
      await deployStage(PROD, 'prod', region);
    }
    // One stage name in two accounts of one region, each with its own alarms of the same name.
    await deployStage(STAGING, 'shared', 'eu-west-1', true);
    await deployStage(PROD, 'shared', 'eu-west-1', true);
  }, 120_000);

  afterAll(async () => {
    await route?.stop();
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('verifies every target with its own account’s credentials; a role that cannot be assumed fails only its own, in one line', async () => {
    // Prepare
    const entries = REGIONS.flatMap((region) => [
      `  - { name: dev-${region}, stage: dev, region: ${region} }`,
      `  - { name: staging-${region}, stage: staging, region: ${region}, roleArn: "${roleIn(STAGING)}", externalId: ${EXTERNAL_ID} }`,
      `  - { name: prod-${region}, stage: prod, region: ${region}, roleArn: "${roleIn(PROD)}", externalId: ${EXTERNAL_ID} }`,
    ]);
    const targets = join(dir, 'accounts.yml');
    await writeFile(
      targets,
      [
        'targets:',
        ...entries,
        `  - { name: no-such-role, stage: prod, region: eu-west-1, roleArn: "${roleIn(PROD, 'nobody')}", externalId: ${EXTERNAL_ID} }`,
        `  - { name: wrong-external-id, stage: prod, region: us-east-1, roleArn: "${roleIn(PROD)}", externalId: guessed }`,
      ].join('\n'),
    );
    // Act
    const run = await cli(['verify', '--targets', targets, '--json']);
    // Assess
    expect(run.code, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout) as FleetReport;
    const byName = Object.fromEntries(report.targets.map((t) => [t.name, t]));
    for (const region of REGIONS) {
      for (const [stage, account] of [
        ['dev', OWN],
        ['staging', STAGING],
        ['prod', PROD],
      ] as const) {
        const entry = byName[`${stage}-${region}`];
        expect(entry, `${stage}-${region}`).toMatchObject({ verdict: 'verified', account, region });
        // The URL in that account's stack proves which account was read.
        expect(entry?.report?.url).toBe(route.urlOf(`${account}-${stage}-${region}`));
      }
    }
    expect(byName['no-such-role']).toMatchObject({ verdict: 'error', account: PROD });
    expect(byName['no-such-role']?.error).toMatch(
      new RegExp(`^role ${roleIn(PROD, 'nobody')} could not be assumed: AccessDenied`),
    );
    expect(byName['wrong-external-id']?.error).toMatch(/could not be assumed: AccessDenied/);
    // Budgets side by side: one per account and region that made calls.
    const budgets = new Set(report.logCalls.map((c) => `${c.account} ${c.region}`));
    expect(budgets).toStrictEqual(
      new Set(REGIONS.flatMap((r) => [`${OWN} ${r}`, `${STAGING} ${r}`, `${PROD} ${r}`])),
    );
  });

  it('verifies one target in another account with --role-arn', async () => {
    // Act
    const run = await verifyProd(EXTERNAL_ID, ['--json']);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      verdict: 'verified',
      url: route.urlOf(`${PROD}-prod-eu-west-1`),
    });
  });

  it('says in one line, exit 2, when the one role cannot be assumed', async () => {
    // Act
    const run = await verifyProd('guessed');
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')[0]).toMatch(
      new RegExp(`^smoke-gate: role ${roleIn(PROD)} could not be assumed: AccessDenied`),
    );
  });

  it('reads status of one stage name in two accounts, each account’s alarms with its own credentials', async () => {
    // Prepare: the prod account's heartbeat alarm fires; staging's of the same name stays OK.
    await inAccount(new CloudWatchClient(as(PROD, 'eu-west-1')), PROD).send(
      new SetAlarmStateCommand({
        AlarmName: heartbeatAlarmOf('shared'),
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed: no datapoint',
      }),
    );
    const targets = join(dir, 'shared.yml');
    await writeFile(
      targets,
      [
        'targets:',
        ...[STAGING, PROD].map(
          (account) =>
            `  - { name: shared-${account}, stage: shared, region: eu-west-1, roleArn: "${roleIn(account)}", externalId: ${EXTERNAL_ID} }`,
        ),
        // A stage no account has: could not judge, and counted only so.
        '  - { name: nowhere, stage: nowhere, region: eu-west-1 }',
      ].join('\n'),
    );
    // Act
    const run = await cli(['status', '--targets', targets, '--json']);
    // Assess
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as FleetStatusReport;
    expect(report.targets.map((t) => [t.name, t.status])).toStrictEqual([
      [`shared-${STAGING}`, 'healthy'],
      [`shared-${PROD}`, 'alarming'],
      ['nowhere', 'error'],
    ]);
    expect(report.summary).toStrictEqual({
      targets: 3,
      healthy: 1,
      unhealthy: 1,
      couldNotJudge: 1,
    });
  });
});
