// The route stand-in's traffic mode (docs/traffic.md): what API Gateway and Lambda do between a
// stage and the code that answers, played against moto, which stores aliases but uses none and
// creates no HTTP API stages. A request's stage (its first path segment, else `$default`) names an
// alias through the stage's variable; moto's Lambda API says which version the alias points at
// and that version's CodeSha256; the zip with that sha256 among the framework's uploads in the
// deployment bucket is the code that runs, and its lines go to a `[<version>]` log stream.
// Not proven here: that API Gateway resolves stage variables and that Lambda names streams by
// version (AWS's documented behaviour), nor weights on an alias (moto stores, never uses them).
import { createHash } from 'node:crypto';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { resourcesOfType, type Template } from '../project/packaged.ts';

/** The variable the gate's stages carry, and the stage a path without one reaches. */
const STAGE_VARIABLE = 'lambdaAlias';
const DEFAULT_STAGE = '$default';

/** The traffic mode of a deployed template: stage name -> alias, and the function's name. */
export interface AliasStages {
  stages: Map<string, string>;
  /** Each named stage's throttle (DefaultRouteSettings), which the stand-in applies. */
  throttles: Map<string, { rate: number; burst: number }>;
}

/** The stages whose variable names an alias; undefined when the template deploys all at once. */
export function aliasStagesOf(template: Template): AliasStages | undefined {
  const stages = new Map<string, string>();
  const throttles = new Map<string, { rate: number; burst: number }>();
  for (const [, stage] of resourcesOfType(template, 'AWS::ApiGatewayV2::Stage')) {
    const variables = stage.Properties.StageVariables as Record<string, string> | undefined;
    const alias = variables?.[STAGE_VARIABLE];
    if (alias !== undefined) stages.set(String(stage.Properties.StageName), alias);
    const settings = stage.Properties.DefaultRouteSettings as Record<string, unknown> | undefined;
    if (alias !== undefined && stage.Properties.StageName !== DEFAULT_STAGE && settings) {
      const rate = Number(settings.ThrottlingRateLimit);
      const burst = Number(settings.ThrottlingBurstLimit);
      throttles.set(String(stage.Properties.StageName), { rate, burst });
    }
  }
  return stages.size === 0 ? undefined : { stages, throttles };
}

/** The stage a request reaches and its path within the stage. */
export function stageOfPath(
  aliasStages: AliasStages,
  pathname: string,
): { stage: string; path: string } {
  const first = pathname.split('/')[1] ?? '';
  if (first !== DEFAULT_STAGE && aliasStages.stages.has(first)) {
    return { stage: first, path: pathname.slice(first.length + 1) || '/' };
  }
  return { stage: DEFAULT_STAGE, path: pathname };
}

/** Where an alias leads: its version and that version's code, or why API Gateway answers 500. */
export type AliasTarget =
  | { kind: 'version'; version: string; codeSha256: string }
  | { kind: 'error'; why: string };

const notFound = (error: unknown) =>
  error instanceof Error && error.name === 'ResourceNotFoundException';

/** A seeded random number generator (mulberry32): the same seed, the same picks, run after run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The version a call through an alias runs, as Lambda picks it: a weighted version takes its
 * share of the calls (moto stores an alias's weights and never uses them, so this plays Lambda).
 */
export function pickVersion(
  alias: {
    FunctionVersion?: string;
    RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
  },
  random: () => number,
): string | undefined {
  let roll = random();
  for (const [version, weight] of Object.entries(
    alias.RoutingConfig?.AdditionalVersionWeights ?? {},
  )) {
    if (roll < weight) return version;
    roll -= weight;
  }
  return alias.FunctionVersion;
}

/**
 * Resolves an alias as API Gateway's integration would: the alias must exist and its policy must
 * let API Gateway invoke it (moto keeps one policy per function, so the statement's Resource
 * names the alias); else the caller gets API Gateway's 500. A weighted alias runs the version
 * `random` picks by its weights.
 */
export async function resolveAlias(
  lambda: LambdaClient,
  functionName: string,
  alias: string,
  random: () => number = Math.random,
): Promise<AliasTarget> {
  let version: string | undefined;
  try {
    version = pickVersion(
      await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias })),
      random,
    );
  } catch (error) {
    if (notFound(error)) return { kind: 'error', why: `no alias ${alias}` };
    throw error;
  }
  const policy = await lambda
    .send(new GetPolicyCommand({ FunctionName: functionName, Qualifier: alias }))
    .then((answer) => answer.Policy ?? '{}')
    .catch((error: unknown) => (notFound(error) ? '{}' : Promise.reject(error)));
  const statements = (JSON.parse(policy) as { Statement?: Record<string, unknown>[] }).Statement;
  const allowed = (statements ?? []).some(
    (statement) =>
      JSON.stringify(statement.Principal).includes('apigateway.amazonaws.com') &&
      String(statement.Resource).endsWith(`:${alias}`),
  );
  if (!allowed) return { kind: 'error', why: `API Gateway may not invoke alias ${alias}` };
  const config = await lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }),
  );
  return { kind: 'version', version: String(version), codeSha256: String(config.CodeSha256) };
}

/**
 * Finds the framework's upload whose sha256 (base64, as Lambda's CodeSha256) is `codeSha256`:
 * moto's version configuration names no fetchable code location. Hashes are kept per key.
 */
export function zipFinder(s3: S3Client) {
  const hashes = new Map<string, string>();
  return async (bucket: string, codeSha256: string): Promise<string | undefined> => {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: 'serverless/',
          ContinuationToken: token,
        }),
      );
      for (const key of (page.Contents ?? []).map((object) => object.Key ?? '')) {
        if (!key.endsWith('.zip')) continue;
        let hash = hashes.get(key);
        if (hash === undefined) {
          const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          const bytes = await (
            object.Body as { transformToByteArray(): Promise<Uint8Array> }
          ).transformToByteArray();
          hash = createHash('sha256').update(bytes).digest('base64');
          hashes.set(key, hash);
        }
        if (hash === codeSha256) return key;
      }
      token = page.NextContinuationToken;
    } while (token !== undefined);
    return undefined;
  };
}

/**
 * API Gateway's throttle on a stage, as a token bucket: `burst` requests at once, refilled at
 * `rate` per second, each request taken at its arrival time. Applied by the stand-in to the
 * gate's candidate stage only (the public stage's own throttle is not played here).
 */
export function stageThrottle() {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (stage: string, limit: { rate: number; burst: number }, arrivedAt: number): boolean => {
    const bucket = buckets.get(stage) ?? { tokens: limit.burst, at: arrivedAt };
    const tokens = Math.min(
      limit.burst,
      bucket.tokens + ((arrivedAt - bucket.at) / 1000) * limit.rate,
    );
    const allowed = tokens >= 1;
    buckets.set(stage, { tokens: allowed ? tokens - 1 : tokens, at: arrivedAt });
    return allowed;
  };
}
