import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  packageService,
  resourcesOfType as resourcesIn,
  SERVERLESS_BIN,
  type Template,
} from '../../harness/project/packaged.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { type ServiceCopy, serviceCopy } from '../../harness/project/project-copy.ts';
import { templateShape } from '../helpers/template-shape.ts';

const run = promisify(execFile);

let outDir: string;
let taskRoot: string;
let template: Template;
let zipEntries: string[];

const resourcesOfType = (type: string) => resourcesIn(template, type);

/** The temporary directory the package run is given (its TMPDIR): the system's, as it sees it. */
let runTmp: string;

/** A copy of the service for the refused runs (its build folders are this suite's own). */
let service: ServiceCopy;

beforeAll(async () => {
  service = await serviceCopy();
  outDir = await mkdtemp(join(tmpdir(), 'petsage-package-'));
  // Its own folder: the framework empties the --package folder before it writes there.
  runTmp = await mkdtemp(join(tmpdir(), 'petsage-package-tmp-'));
  // No AWS credentials (packageService clears them): packaging must work offline.
  ({ template, zipEntries, taskRoot } = await packageService(outDir, 'ci', {
    env: { TMPDIR: runTmp },
  }));
});

afterAll(async () => {
  await service?.remove();
  for (const folder of [outDir, runTmp]) {
    if (folder) await rm(folder, { recursive: true, force: true });
  }
});

const hasCfnLint = spawnSync('sh', ['-c', 'command -v cfn-lint'], { stdio: 'ignore' }).status === 0;
if (!hasCfnLint) {
  const message = 'cfn-lint not found: skipping the template lint (pip install cfn-lint)';
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it`);
  console.warn(`\n*** ${message} ***\n`);
}

describe('serverless package', () => {
  it('leaves nothing in the system’s temporary directory (the zip step works under .serverless/)', async () => {
    // Act
    const left = await readdir(runTmp);
    // Assess
    expect(left).toStrictEqual([]);
  });

  it.skipIf(!hasCfnLint)('produces a template cfn-lint finds no error in', async () => {
    // Act: exit code 0 = clean, 4 = warnings only; errors (2) or both (6) fail.
    const lint = await run(
      'cfn-lint',
      ['--format', 'parseable', join(outDir, 'cloudformation-template-update-stack.json')],
      { cwd: PROJECT_DIR },
    ).then(
      (result) => ({ code: 0, output: result.stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    // Assess
    expect(lint.output.split('\n').filter((line) => /:E\d{4}:/.test(line))).toStrictEqual([]);
    expect([0, 4, 8, 12]).toContain(lint.code);
  });

  it('deploys one nodejs24.x arm64 function with explicit memory and timeout', () => {
    const functions = resourcesOfType('AWS::Lambda::Function');
    expect(functions).toHaveLength(1);
    const [, fn] = functions[0] ?? [];
    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 128,
      Timeout: 5,
      Handler: 'functions/health.handler',
      FunctionName: 'petsage-smoke-test-ci-health',
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'petsage-smoke-test',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          STAGE: 'ci',
        },
      },
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' },
    });
  });

  it.each(['WARN', 'constructor'])(
    'refuses to package POWERTOOLS_LOG_LEVEL=%s in one line naming the setting',
    async (level) => {
      // Act
      const result = await run(
        process.execPath,
        [SERVERLESS_BIN, 'package', '--stage', 'ci', '--package', join(outDir, `refused-${level}`)],
        { cwd: service.dir, env: { ...process.env, POWERTOOLS_LOG_LEVEL: level } },
      ).then(
        () => ({ code: 0, output: '' }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          output: error.stdout + error.stderr,
        }),
      );
      // Assess
      expect(result.code).toBe(1);
      expect(result.output).toMatch(
        new RegExp(
          `POWERTOOLS_LOG_LEVEL "${level}" cannot be deployed: it must be one of TRACE, DEBUG, INFO`,
        ),
      );
    },
  );

  it('routes exactly GET and HEAD /health on an HTTP API', () => {
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').map(
      ([, route]) => route.Properties.RouteKey,
    );
    expect(routes.sort()).toStrictEqual(['GET /health', 'HEAD /health']);
    expect(resourcesOfType('AWS::ApiGatewayV2::Api')[0]?.[1].Properties.ProtocolType).toBe('HTTP');
    const integration = resourcesOfType('AWS::ApiGatewayV2::Integration')[0]?.[1];
    expect(integration?.Properties.PayloadFormatVersion).toBe('2.0');
  });

  it("keeps the function's logs and the route's access logs for a set time", () => {
    const groups = resourcesOfType('AWS::Logs::LogGroup').map(([, group]) => group.Properties);
    expect(groups).toStrictEqual([
      { LogGroupName: '/aws/lambda/petsage-smoke-test-ci-health', RetentionInDays: 14 },
      { LogGroupName: '/aws/http-api/petsage-smoke-test-ci', RetentionInDays: 14 },
    ]);
  });

  it('writes an access log line per route call with the caller, for tracing abuse', () => {
    const stage = resourcesOfType('AWS::ApiGatewayV2::Stage')[0]?.[1].Properties;
    const settings = stage?.AccessLogSettings as { Format?: string } | undefined;
    const format = JSON.parse(String(settings?.Format)) as Record<string, string>;
    expect(format).toMatchObject({
      ip: '$context.identity.sourceIp',
      userAgent: '$context.identity.userAgent',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
  });

  it('keeps every deployment artifact version and blocks public access to the bucket', () => {
    const bucket = resourcesOfType('AWS::S3::Bucket')[0]?.[1].Properties;
    expect(bucket).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('lets the function write only to its own log group: no wildcard, no CreateLogGroup', () => {
    const roles = resourcesOfType('AWS::IAM::Role').filter(
      ([id]) => id === 'IamRoleLambdaExecution',
    );
    expect(roles).toHaveLength(1);
    const policies = roles[0]?.[1].Properties.Policies;
    expect(JSON.stringify(policies)).not.toContain('*');
    expect(policies).toStrictEqual([
      {
        PolicyName: 'petsage-smoke-test-ci-health-logs',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: { 'Fn::GetAtt': ['HealthLogGroup', 'Arn'] },
            },
          ],
        },
      },
    ]);
  });

  it('caps the public route by default: reserved concurrency 5, stage throttling 10/s burst 20', () => {
    const [, fn] = resourcesOfType('AWS::Lambda::Function')[0] ?? [];
    expect(fn?.Properties.ReservedConcurrentExecutions).toBe(5);
    const [, stage] = resourcesOfType('AWS::ApiGatewayV2::Stage')[0] ?? [];
    expect(stage?.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 10,
      ThrottlingBurstLimit: 20,
    });
  });

  it('invokes the live alias and calls the route every 5 minutes by default (the heartbeats)', () => {
    const rules = resourcesOfType('AWS::Events::Rule').map(([, rule]) => rule.Properties);
    expect(rules).toStrictEqual([
      expect.objectContaining({
        Name: 'petsage-smoke-test-ci-heartbeat',
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Targets: [
          expect.objectContaining({
            Arn: { 'Fn::Join': [':', [{ 'Fn::GetAtt': ['HealthLambdaFunction', 'Arn'] }, 'live']] },
          }),
        ],
      }),
      expect.objectContaining({
        Name: 'petsage-smoke-test-ci-route-heartbeat',
        ScheduleExpression: 'rate(5 minutes)',
        Targets: [
          expect.objectContaining({ Arn: { 'Fn::GetAtt': ['RouteHeartbeatDestination', 'Arn'] } }),
        ],
      }),
    ]);
  });

  it('lets nothing invoke the bare function: the route and the schedule reach an alias (docs/traffic.md)', () => {
    // Act
    const permissions = resourcesOfType('AWS::Lambda::Permission');
    const integrations = resourcesOfType('AWS::ApiGatewayV2::Integration').map(([, integration]) =>
      JSON.stringify(integration.Properties.IntegrationUri),
    );
    const stages = resourcesOfType('AWS::ApiGatewayV2::Stage').map(([, stage]) => [
      stage.Properties.StageName,
      stage.Properties.StageVariables,
    ]);
    // Assess: the gate puts each permission on an alias (its SmokeGateInvokers output says whose).
    expect(permissions).toStrictEqual([]);
    expect(JSON.stringify(template.Outputs.SmokeGateInvokers)).toContain(
      'apigateway.amazonaws.com',
    );
    expect(integrations).toStrictEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's stage variable, not JS.
      expect.stringContaining(':${stageVariables.lambdaAlias}/invocations'),
    ]);
    expect(stages).toStrictEqual([
      ['$default', { lambdaAlias: 'live' }],
      ['candidate', { lambdaAlias: 'candidate' }],
    ]);
  });

  it('outputs the endpoint URL and the log group name', () => {
    expect(template.Outputs).toHaveProperty('HealthEndpointUrl');
    expect(template.Outputs).toHaveProperty('HealthLogGroupName');
    expect(JSON.stringify(template.Outputs.HealthEndpointUrl)).toContain('/health');
  });

  it('zips only the bundle, no node_modules', () => {
    expect(zipEntries).toStrictEqual(['functions/health.mjs']);
  });

  // 30 KB until the log-level guard, the heartbeat trigger and the lazy-crypto shim (+1.3 KB).
  it('keeps the bundle within its 32 KB budget', async () => {
    const bundle = await readFile(join(taskRoot, 'functions/health.mjs'));
    expect(bundle.length).toBeLessThanOrEqual(32 * 1024);
  });

  it('imports no node:crypto at load (the Logger gets lib/random-int.ts instead)', async () => {
    const bundle = await readFile(join(taskRoot, 'functions/health.mjs'), 'utf8');
    expect(bundle).not.toMatch(/from\s*["'](node:)?crypto["']/);
    expect(bundle).toContain('getRandomValues');
  });

  it('bundles only the expected packages', async () => {
    // Prepare: the same esbuild options serverless-esbuild uses, with a metafile.
    const require = createRequire(import.meta.url);
    const esbuildConfig = require(join(PROJECT_DIR, 'esbuild.config.cjs'));
    const options = esbuildConfig.esbuildOnly(esbuildConfig({}));
    // Act
    const result = await build({
      ...options,
      entryPoints: [join(PROJECT_DIR, 'functions/health.ts')],
      write: false,
      outdir: outDir,
      metafile: true,
    });
    // Assess
    const packages = new Set(
      Object.keys(result.metafile?.inputs ?? {}).flatMap(
        (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? [],
      ),
    );
    expect([...packages].sort()).toStrictEqual([
      '@aws-lambda-powertools/commons',
      '@aws-lambda-powertools/logger',
      '@aws/lambda-invoke-store',
      '@middy/core',
      '@middy/util',
    ]);
  });
});

describe("this service's template, as the gate's defaults change", () => {
  it('is what it was before monitoring became opt-in: the same resources, monitoring and outputs', () => {
    // Prepare: captured from this service's packaged template before issue 48.
    const before = JSON.parse(
      readFileSync(join(PROJECT_DIR, 'tests/fixtures/petsage-template-shape.json'), 'utf8'),
    );
    // Act
    const now = templateShape(template);
    // Assess
    expect(now).toStrictEqual(before);
  });
});
