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
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
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
import { gateJsonRun, historyOf } from '../helpers/moto-gate.ts';
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
/** A good copy whose gate gives up sooner (20 s), for a public route that never shows a line. */
let goodShort: string;
let asDeployRole: Awaited<ReturnType<typeof deployRoleEnv>>;

/** `serverless deploy` of a copy against moto, as the deploy role. */
const deploy = (cwd: string, release: string) => serverless(cwd, ['deploy'], release);

/** The framework CLI in a copy against moto, as the deploy role. */
const serverless = (cwd: string, args: string[], release: string) =>
  runNodeScript(
    SERVERLESS_BIN,
    [...args, '--stage', STAGE, '--param', `standInUrl=${route.baseUrl}`],
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

const lambda = () => new LambdaClient(moto.settings());

/** The stack's own update events so far (each stack update ends in one). */
const stackUpdates = async () =>
  (
    (
      await new CloudFormationClient(moto.settings()).send(
        new DescribeStackEventsCommand({ StackName: STACK }),
      )
    ).StackEvents ?? []
  ).filter(
    (event) => event.LogicalResourceId === STACK && /_COMPLETE$/.test(event.ResourceStatus ?? ''),
  ).length;

/** Requests sent at once to the candidate stage: their HTTP statuses. */
const candidateBurst = (count: number) =>
  Promise.all(
    Array.from({ length: count }, () =>
      fetch(`${route.baseUrl}/candidate/health`).then(async (answer) => {
        await answer.arrayBuffer();
        return answer.status;
      }),
    ),
  );

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
    goodShort = await copyProject(join(dir, 'good-short'), [
      ...edits,
      { file: 'serverless.yml', from: '    timeout: 120\n', to: '    timeout: 20\n' },
    ]);
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

  it('leaves no way in through the candidate stage once the gate is done', async () => {
    // Act: an outside caller on the candidate stage.
    const statuses = await candidateBurst(3);
    const { report } = await historyOf(moto, STAGE);
    // Assess: no candidate alias, so API Gateway (the stand-in) answers 500.
    expect(statuses).toStrictEqual([500, 500, 500]);
    expect(report.traffic).toStrictEqual({
      live: await liveVersion(),
      candidate: null,
      shift: null,
      note: null,
    });
    const live = report.deployments.find((d) => d.live);
    expect(live?.functionVersion).toBe(await liveVersion());
    expect(live?.verdict).toBe('verified');
  });

  it('while a gate runs, bounds the candidate stage by its throttle (2/s, burst 5); a second deploy stops before it deploys, naming it', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: another gate holds the candidate alias, as a running gate does.
    const before = await liveVersion();
    const since = new Date().toISOString();
    await lambda().send(
      new CreateAliasCommand({
        FunctionName: FUNCTION,
        Name: 'candidate',
        FunctionVersion: before,
        Description: `smoke-gate run other-1 since ${since}`,
      }),
    );
    await lambda().send(
      new AddPermissionCommand({
        FunctionName: FUNCTION,
        Qualifier: 'candidate',
        StatementId: 'smoke-gate-candidate-0',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      }),
    );
    const updates = await stackUpdates();
    try {
      // Act
      const burstStarted = Date.now();
      const statuses = await candidateBurst(20);
      const burstSeconds = (Date.now() - burstStarted) / 1000;
      const run = await deploy(good, 'good-overlap');
      // Assess: at most the burst (5) and what refilled while the requests came in (2/s) got
      // through, however slowly a loaded machine sent them; the rest 429.
      const through = statuses.filter((status) => status === 200).length;
      expect(through).toBeGreaterThanOrEqual(1);
      expect(through).toBeLessThanOrEqual(5 + Math.ceil(2 * burstSeconds));
      expect(through).toBeLessThan(20);
      expect(statuses.filter((status) => status === 429).length).toBe(20 - through);
      expect(run.code, run.output).toBe(2);
      expect(run.output).toContain(
        `another gate (run other-1, since ${since}) is proving version ${before}`,
      );
      expect(run.output).toContain('Nothing was deployed: retry when that gate ends');
      expect(await liveVersion()).toBe(before);
      expect(await stackUpdates()).toBe(updates);
    } finally {
      await lambda().send(new DeleteAliasCommand({ FunctionName: FUNCTION, Name: 'candidate' }));
    }
  });

  it('moves live back in one alias update when the public route fails after promotion, with no stack update', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: the public stage loses the lines of any version but the one live now.
    const before = await liveVersion();
    route.dropLines(({ stage, version }) => stage === '$default' && version !== before);
    const updates = await stackUpdates();
    try {
      // Act
      const { result: run, served } = await underLoad(route, '/health', () =>
        deploy(goodShort, 'good-public-fails'),
      );
      // Assess
      expect(run.code, run.output).toBe(1);
      const moved =
        /version (\d+) passed on the candidate stage but not on the public route: live moved back to version (\d+) in one alias update/.exec(
          run.output,
        );
      expect(moved?.[2]).toBe(before);
      expect(await liveVersion()).toBe(before);
      // Callers had the new version for the public check only, then the old one again.
      expect(versionRuns(served)).toStrictEqual([before, moved?.[1], before]);
      // One stack update: the deploy's own; nothing rolled the stack back.
      expect(await stackUpdates()).toBe(updates + 1);
    } finally {
      route.dropLines(false);
    }
  });

  it('rolls back to a commit by moving live to its version, with no stack update', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: good-1's version, which live served before good-2.
    const before = await liveVersion();
    const { report } = await historyOf(moto, STAGE);
    const target = report.deployments.find(
      (d) => d.commit === 'good-1' && d.verdict === 'verified',
    );
    const updates = await stackUpdates();
    // Act
    const { result: run, served } = await underLoad(route, '/health', () =>
      serverless(good, ['rollback', '--commit', 'good-1'], 'rollback'),
    );
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(
      `Traffic mode: live moved from version ${before} to version ${target?.functionVersion} (deployment ${target?.directory}, commit good-1) in one alias update; the stack was not updated.`,
    );
    expect(await liveVersion()).toBe(target?.functionVersion);
    expect(versionRuns(served)).toStrictEqual([before, target?.functionVersion]);
    expect(await stackUpdates()).toBe(updates);
    const after = (await historyOf(moto, STAGE)).report;
    const restored = after.deployments.find((d) => d.directory === target?.directory);
    expect(restored).toMatchObject({ verdict: 'restored', live: true });
    expect(after.traffic?.live).toBe(target?.functionVersion);
  });

  it('refuses a rollback to a deployment that failed, changing nothing', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare
    const before = await liveVersion();
    // Act
    const run = await serverless(good, ['rollback', '--commit', 'broken-2'], 'rollback');
    // Assess
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(
      /Rollback refused: deployment .* is recorded as failed; pass --force/,
    );
    expect(await liveVersion()).toBe(before);
  });

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

  it('calls a live alias moved by hand to an unrecorded version changed outside the pipeline (status exits 1)', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Prepare: code published and put live by hand, as `aws lambda update-alias` would.
    const before = await liveVersion();
    await lambda().send(
      new UpdateFunctionCodeCommand({
        FunctionName: FUNCTION,
        ZipFile: new Uint8Array(Buffer.from('code uploaded by hand')),
      }),
    );
    const { Version } = await lambda().send(new PublishVersionCommand({ FunctionName: FUNCTION }));
    await lambda().send(
      new UpdateAliasCommand({ FunctionName: FUNCTION, Name: 'live', FunctionVersion: Version }),
    );
    try {
      // Act
      const status = await gateJsonRun(moto, 'status', STAGE);
      const { report } = await historyOf(moto, STAGE);
      // Assess
      const note = `changed outside the pipeline: live points at version ${Version}, which no trusted record names`;
      expect(status.code, status.stderr).toBe(1);
      expect(JSON.parse(status.stdout).live).toMatchObject({ verdict: 'untrusted', note });
      expect(report.traffic?.note).toBe(note);
      expect(report.deployments.some((d) => d.live)).toBe(false);
    } finally {
      await lambda().send(
        new UpdateAliasCommand({ FunctionName: FUNCTION, Name: 'live', FunctionVersion: before }),
      );
    }
  });

  it('leaves nothing of its own behind after serverless remove: the aliases go with the function', {
    timeout: DEPLOY_TIMEOUT,
  }, async () => {
    // Act
    const run = await serverless(good, ['remove'], 'remove');
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(await liveVersion()).toBeUndefined();
    const candidate = await lambda()
      .send(new GetAliasCommand({ FunctionName: FUNCTION, Name: 'candidate' }))
      .catch((error: Error) => error.name);
    expect(candidate).toBe('ResourceNotFoundException');
  });
});
