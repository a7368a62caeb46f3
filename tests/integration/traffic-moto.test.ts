// The traffic mode (docs/traffic.md) on the real deploy path: the project's framework CLI (osls)
// deploys copies of this service, as shipped (custom.smokeTest.traffic on), and the gate proves
// each version on the candidate stage before `live` moves. While each deploy runs, a caller keeps
// hitting the public route, and the stand-in counts which version answered every request.
// Stand-ins, each named:
// - moto_server (harness/aws/moto.ts, its shim): CloudFormation, S3, Lambda (versions, aliases and
//   their policies: stored, never invoked), KMS, SSM and CloudWatch Logs.
// - harness/route/route-stand-in.ts with alias-route.ts: the HTTP API. A request's stage (its
//   `/candidate` prefix, else `$default`) names an alias through the stage's variable in the
//   deployed template; moto says which version the alias points at and its CodeSha256; the
//   stand-in runs the uploaded zip with that sha256 under the runtime harness and writes its lines
//   to a `[<version>]` log stream. Not proven here: that API Gateway resolves stage variables and
//   that Lambda names log streams by version (AWS's documented behaviour, played by the stand-in),
//   IAM and the aliases' resource policies as AWS evaluates them (the stand-in checks only that a
//   statement for API Gateway names the alias).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployRoleEnv } from '../../harness/aws/deploy-role.ts';
import {
  MOTO_CREDENTIALS_ENV,
  type Moto,
  motoForSuite,
  startMoto,
} from '../../harness/aws/moto.ts';
import { createRecordsKey } from '../../harness/aws/records-key.ts';
import { SERVERLESS_BIN } from '../../harness/project/packaged.ts';
import { copyProject } from '../../harness/project/project-copy.ts';
import {
  BREAK_PAYLOAD,
  CANDIDATE_AT_STAND_IN,
  POINT_AT_STAND_IN,
  pinRecordsKey,
} from '../../harness/project/service-copies.ts';
import { type RouteStandIn, startRouteStandIn } from '../../harness/route/route-stand-in.ts';
import { runNodeScript } from '../helpers/cli.ts';
import { historyOf } from '../helpers/moto-gate.ts';
import { underLoad, versionRuns } from '../helpers/route-load.ts';

const hasMoto = motoForSuite('the traffic-mode suite');

const STAGE = 'traffic';
const STACK = `petsage-smoke-test-${STAGE}`;
const FUNCTION = `${STACK}-health`;
const DEPLOY_TIMEOUT = 120_000;

let moto: Moto;
let route: RouteStandIn;
let dir: string;
let good: string;
let broken: string;
let asDeployRole: Awaited<ReturnType<typeof deployRoleEnv>>;

/** `serverless deploy` of a copy against moto, as the deploy role. */
const deploy = (cwd: string, release: string) =>
  runNodeScript(
    SERVERLESS_BIN,
    ['deploy', '--stage', STAGE, '--param', `standInUrl=${route.baseUrl}`],
    {
      ...MOTO_CREDENTIALS_ENV,
      ...asDeployRole,
      AWS_ENDPOINT_URL: moto.endpoint,
      SLS_AWS_MONITORING_FREQUENCY: '200',
      RELEASE_ID: release,
      NO_COLOR: '1',
      TMPDIR: join(dir, 'system-tmp'),
    },
    { cwd },
  ).then((run) => ({ ...run, output: run.stdout + run.stderr }));

const liveVersion = async () =>
  (
    await new LambdaClient(moto.settings())
      .send(new GetAliasCommand({ FunctionName: FUNCTION, Name: 'live' }))
      .catch(() => undefined)
  )?.FunctionVersion;

// One story, in order on purpose: a first deploy that fails, one that passes, a broken deploy
// no caller sees, and a good one that every caller gets at once.
describe.skipIf(!hasMoto).sequential('the traffic mode against moto', () => {
  beforeAll(async () => {
    moto = await startMoto();
    const pin = await createRecordsKey(moto.settings());
    asDeployRole = await deployRoleEnv(moto, 'petsage-smoke-test-deploy');
    route = await startRouteStandIn({ stackName: STACK, aws: moto.settings() });
    dir = await mkdtemp(join(tmpdir(), 'petsage-traffic-'));
    await mkdir(join(dir, 'system-tmp'));
    const edits = [POINT_AT_STAND_IN, CANDIDATE_AT_STAND_IN, pinRecordsKey(pin)];
    good = await copyProject(join(dir, 'good'), edits);
    broken = await copyProject(join(dir, 'broken'), [...edits, BREAK_PAYLOAD]);
  });
  afterAll(async () => {
    await route?.stop();
    await moto?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it(
    'never lets the public route serve a first deploy that fails on the candidate stage',
    async () => {
      // Act
      const { result: run, served } = await underLoad(route, '/health', () =>
        deploy(broken, 'broken-1'),
      );
      // Assess
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(/no caller reached version \d+: there is no live alias yet/);
      expect(served.length).toBeGreaterThan(0);
      expect(served.every((r) => r.version === undefined && r.status === 500)).toBe(true);
      expect(await liveVersion()).toBeUndefined();
      const candidate = route.servedLog().filter((r) => r.stage === 'candidate');
      expect(candidate.at(-1)?.version).toMatch(/^\d+$/);
    },
    DEPLOY_TIMEOUT,
  );

  it(
    'moves live to a version that passed on the candidate stage, and verifies the public route',
    async () => {
      // Act
      const { result: run, served } = await underLoad(route, '/health', () =>
        deploy(good, 'good-1'),
      );
      // Assess
      expect(run.code, run.output).toBe(0);
      const live = await liveVersion();
      expect(run.output).toContain(`live moved to version ${live} in one alias update`);
      expect(versionRuns(served)).toStrictEqual(['(500)', live]);
    },
    DEPLOY_TIMEOUT,
  );

  it(
    'serves every caller the old version while a broken deploy fails on the candidate stage',
    async () => {
      // Prepare
      const before = await liveVersion();
      // Act
      const { result: run, served } = await underLoad(route, '/health', () =>
        deploy(broken, 'broken-2'),
      );
      // Assess
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(
        new RegExp(`no caller reached version (\\d+): live still serves version ${before}`),
      );
      expect(served.length).toBeGreaterThan(0);
      expect(versionRuns(served)).toStrictEqual([before]);
      expect(await liveVersion()).toBe(before);
      const { report } = await historyOf(moto, STAGE);
      expect(report.deployments[0]?.verdict).toBe('failed');
    },
    DEPLOY_TIMEOUT,
  );

  it(
    'switches every caller from the old version to the new one exactly once',
    async () => {
      // Prepare
      const before = await liveVersion();
      // Act
      const { result: run, served } = await underLoad(route, '/health', () =>
        deploy(good, 'good-2'),
      );
      // Assess
      expect(run.code, run.output).toBe(0);
      const after = await liveVersion();
      expect(after).not.toBe(before);
      expect(versionRuns(served)).toStrictEqual([before, after]);
    },
    DEPLOY_TIMEOUT,
  );

  it('points every permission and the heartbeat schedule at an alias, never the bare function', async () => {
    // Act
    const { TemplateBody } = await new CloudFormationClient(moto.settings()).send(
      new GetTemplateCommand({ StackName: STACK }),
    );
    const resources = Object.values(
      (
        JSON.parse(TemplateBody ?? '{}') as {
          Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
        }
      ).Resources,
    );
    // Assess
    expect(resources.filter((r) => r.Type === 'AWS::Lambda::Permission')).toStrictEqual([]);
    const targets = resources
      .filter((r) => r.Type === 'AWS::Events::Rule')
      .flatMap((r) => r.Properties.Targets as { Arn: unknown }[]);
    expect(targets).toContainEqual(
      expect.objectContaining({
        Arn: { 'Fn::Join': [':', [{ 'Fn::GetAtt': ['HealthLambdaFunction', 'Arn'] }, 'live']] },
      }),
    );
    expect(JSON.stringify(targets)).not.toContain(
      '"Arn":{"Fn::GetAtt":["HealthLambdaFunction","Arn"]}',
    );
  });
});
