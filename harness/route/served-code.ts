// What answers a request at the route stand-in: the code the stack points at (all at once), or the
// version the request's stage's alias points at (the traffic mode, alias-route.ts), each running
// under the runtime harness with Lambda's log agent played for it.
import {
  type CloudFormationClient,
  DescribeStackResourceCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { createLogAgent, type LogAgent, lambdaStreamName } from '../aws/log-agent.ts';
import { type RunningCode, startDeployedCode } from '../lambda/deployed-code.ts';
import { healthFunction, resourcesOfType, type Template } from '../project/packaged.ts';
import { aliasStagesOf, resolveAlias, stageOfPath, zipFinder } from './alias-route.ts';

/** One deployment's (or version's) code, running, with what its log agent has shipped. */
export interface Deployed extends RunningCode {
  codeKey: string;
  /** The function version it runs (traffic mode), else undefined ($LATEST). */
  version: string | undefined;
  routes: Set<string>;
  logGroupName: string;
  shipped: { stdout: number; stderr: number };
  agent: LogAgent;
}

/** What answers a request: running code on a stage, or API Gateway's own 500 (no alias to call). */
export type Resolved = (
  | { kind: 'code'; deployed: Deployed; stage: string; path: string }
  | { kind: 'error'; stage: string; path: string; routes: Set<string> }
) & {
  /** The stage's throttle, when the stand-in plays it (the candidate stage). */
  throttle?: { rate: number; burst: number } | undefined;
};

/** At most this many deployments or versions run at once; the least recent is stopped. */
const MAX_RUNNING = 2;

/** The code a stack's route reaches, read from moto on each request. */
export function servedCode(options: {
  stackName: string;
  cloudFormation: CloudFormationClient;
  s3: S3Client;
  logs: CloudWatchLogsClient;
  lambda: LambdaClient;
  /** Picks the version of a weighted alias (seeded in tests, so its shares are counted). */
  random?: () => number;
}) {
  const { cloudFormation, s3, logs, lambda } = options;
  const findZip = zipFinder(s3);
  const running = new Map<string, Deployed>();
  let current: Deployed | undefined;

  const physicalId = async (logicalId: string) =>
    (
      await cloudFormation.send(
        new DescribeStackResourceCommand({
          StackName: options.stackName,
          LogicalResourceId: logicalId,
        }),
      )
    ).StackResourceDetail?.PhysicalResourceId ?? '';

  const stopAll = async () => {
    await Promise.all([...running.values()].map((deployed) => deployed.stop()));
    running.clear();
    current = undefined;
  };

  /** The stack's template now: its function, routes and log group. */
  const deployedTemplate = async () => {
    const { TemplateBody } = await cloudFormation.send(
      new GetTemplateCommand({ StackName: options.stackName }),
    );
    const template = JSON.parse(TemplateBody ?? '{}') as Template;
    const routes = new Set(
      resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) =>
        String(route.Properties.RouteKey),
      ),
    );
    const group = resourcesOfType(template, 'AWS::Logs::LogGroup')[0]?.[1].Properties;
    return {
      template,
      fn: healthFunction(template),
      routes,
      logGroupName: String(group?.LogGroupName),
    };
  };

  /** Runs the zip at `key` (for `version`, in the traffic mode), or reuses it if it runs. */
  const serve = async (
    deployedNow: Awaited<ReturnType<typeof deployedTemplate>>,
    key: string,
    version: string | undefined,
  ): Promise<Deployed> => {
    const id = `${version ?? '$LATEST'} ${key}`;
    let deployed = running.get(id);
    if (deployed === undefined) {
      // All at once, one deployment runs at a time, as the stack points at one.
      if (version === undefined) await stopAll();
      for (const [oldId, old] of [...running].slice(
        0,
        Math.max(0, running.size - MAX_RUNNING + 1),
      )) {
        running.delete(oldId);
        await old.stop();
      }
      const code = await startDeployedCode({
        s3,
        bucket: await physicalId('ServerlessDeploymentBucket'),
        key,
        fn: deployedNow.fn,
      });
      deployed = {
        ...code,
        codeKey: key,
        version,
        routes: deployedNow.routes,
        logGroupName: deployedNow.logGroupName,
        shipped: { stdout: 0, stderr: 0 },
        agent: createLogAgent({
          logs,
          logGroupName: deployedNow.logGroupName,
          streamName: lambdaStreamName(version),
        }),
      };
    }
    running.delete(id);
    running.set(id, deployed);
    deployed.routes = deployedNow.routes;
    current = deployed;
    return deployed;
  };

  /**
   * What answers a request on `pathname` now: the code the stack points at (all at once), or the
   * version the stage's alias points at (the traffic mode; alias-route.ts), or API Gateway's 500.
   */
  const resolve = async (pathname: string): Promise<Resolved> => {
    const deployedNow = await deployedTemplate();
    const aliasStages = aliasStagesOf(deployedNow.template);
    if (aliasStages === undefined) {
      const key = (deployedNow.fn.Properties.Code as { S3Key: string }).S3Key;
      const deployed = await serve(deployedNow, key, undefined);
      return { kind: 'code', deployed, stage: '$default', path: pathname };
    }
    const { stage, path } = stageOfPath(aliasStages, pathname);
    const throttle = aliasStages.throttles.get(stage);
    const alias = aliasStages.stages.get(stage) ?? '';
    const functionName = String(deployedNow.fn.Properties.FunctionName);
    const target = await resolveAlias(lambda, functionName, alias, options.random);
    const key =
      target.kind === 'version'
        ? await findZip(await physicalId('ServerlessDeploymentBucket'), target.codeSha256)
        : undefined;
    if (target.kind === 'error' || key === undefined) {
      return { kind: 'error', stage, path, routes: deployedNow.routes, throttle };
    }
    const deployed = await serve(deployedNow, key, target.version);
    return { kind: 'code', deployed, stage, path, throttle };
  };

  /** Makes `current` the code the stack (or its live alias) points at now. */
  const refresh = async (): Promise<Deployed> => {
    const resolved = await resolve('/');
    if (resolved.kind === 'error') throw new Error('the live alias does not resolve');
    return resolved.deployed;
  };

  /** Plays Lambda's log agent: ships new output lines of the function into its log group. */
  const shipLines = async (deployed: Deployed, dropLines: boolean) => {
    for (let i = 0; i < 50; i++) {
      const text = deployed.runtime.stdout() + deployed.runtime.stderr();
      if (text.length > deployed.shipped.stdout + deployed.shipped.stderr) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const fresh = (which: 'stdout' | 'stderr') => {
      const text = deployed.runtime[which]();
      const end = text.lastIndexOf('\n') + 1;
      const lines = text.slice(deployed.shipped[which], end).split('\n').filter(Boolean);
      deployed.shipped[which] = Math.max(end, deployed.shipped[which]);
      return lines;
    };
    const lines = [...fresh('stdout'), ...fresh('stderr')];
    if (dropLines) return;
    await deployed.agent.ship(lines.map((message) => ({ timestamp: Date.now(), message })));
  };

  return {
    resolve,
    refresh,
    shipLines,
    stopAll,
    current: () => current,
  };
}
