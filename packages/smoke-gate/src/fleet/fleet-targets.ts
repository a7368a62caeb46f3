import { readFile, stat } from 'node:fs/promises';
import { type AwsSettings, checkCallDestination } from '../aws/aws-clients.ts';
import { stackName } from '../aws/stack-outputs.ts';
import { ACCESS_KEYS, checkAccess, type TargetAccess } from '../aws/target-access.ts';
import { closest } from '../core/closest.ts';
import { MANY_TARGETS_DEFAULTS } from '../core/defaults.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { safeMessage, safeText } from '../core/safe-text.ts';
import { checkLogGroupName, parseRouteUrl, type TargetRequest } from '../verification/targets.ts';
import { nestingDepth } from './nesting-depth.ts';

/** One target of a run over many: its name, its region and what to verify there. */
export interface FleetTarget {
  name: string;
  /** The target's own region; undefined means the run's (flag, environment, profile). */
  region: string | undefined;
  request: TargetRequest;
  /** Where it was given, for errors: `targets file "f.yml", entry 3`, or `--stage dev`. */
  source: string;
  /** As whom it is read: a profile, a role to assume (target-access.ts); the run's when absent. */
  access?: TargetAccess | undefined;
}

/** The keys an entry of a targets file may have. */
const ENTRY_KEYS = [
  'name',
  'stage',
  'region',
  'service',
  'url',
  'logGroup',
  ...ACCESS_KEYS,
] as const;
type EntryKey = (typeof ENTRY_KEYS)[number];

/** Stage and service names as the framework and CloudFormation's stack names allow them. */
const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

const quoted = (value: unknown) => JSON.stringify(safeText(value, 80));

/** A target as the report names it: the stage alone when it is of the run's own service. */
const nameOf = (
  request: TargetRequest,
  region: string | undefined,
  runService: string | undefined,
): string => {
  const where = region === undefined ? '' : ` ${region}`;
  if (request.stage !== undefined) {
    return `${request.service === runService ? request.stage : stackName(request.service, request.stage)}${where}`;
  }
  const url = new URL(request.url ?? '');
  return `${url.host}${url.pathname}`;
};

/** Every `--stage` in every `--region` (stacks `<service>-<stage>`); one of each is one target. */
export function targetsFromFlags(options: {
  stages: string[];
  regions: string[];
  service: string;
  access?: TargetAccess | undefined;
}): FleetTarget[] {
  // A stage or region given twice is one target, not two.
  const regions = options.regions.length === 0 ? [undefined] : [...new Set(options.regions)];
  return [...new Set(options.stages)].flatMap((stage) => {
    if (!NAME_PART.test(stage))
      throw new CouldNotJudgeError(`--stage ${quoted(stage)} is not a stage name`);
    return regions.map((region) => {
      const request = { stage, service: options.service };
      const name = nameOf(request, regions.length > 1 ? region : undefined, options.service);
      const source = `--stage ${quoted(stage)}${region === undefined ? '' : ` --region ${quoted(region)}`}`;
      return { name, region, request, source, access: options.access };
    });
  });
}

/** Reads one entry of a targets file; `where` names it in every error. */
function entryOf(raw: unknown, where: string, service: string | undefined): FleetTarget {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CouldNotJudgeError(
      `${where}: must be a mapping with a stage, or a url and a logGroup`,
    );
  }
  const entry = raw as Record<string, unknown>;
  for (const key of Object.keys(entry)) {
    if (!(ENTRY_KEYS as readonly string[]).includes(key)) {
      const suggestion = closest(key, ENTRY_KEYS);
      throw new CouldNotJudgeError(
        `${where}: unknown key ${quoted(key)}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
      );
    }
    if (typeof entry[key] !== 'string' || entry[key] === '') {
      throw new CouldNotJudgeError(`${where}: ${key} must be a non-empty string`);
    }
  }
  const value = (key: EntryKey) => entry[key] as string | undefined;
  const [stage, url, logGroup] = [value('stage'), value('url'), value('logGroup')];
  if (stage === undefined && url === undefined) {
    throw new CouldNotJudgeError(`${where}: needs a stage, or a url and a logGroup`);
  }
  if (stage !== undefined && (url !== undefined || logGroup !== undefined)) {
    throw new CouldNotJudgeError(`${where}: give a stage, or a url and a logGroup, not both`);
  }
  if (url !== undefined && logGroup === undefined) {
    throw new CouldNotJudgeError(`${where}: a url needs its logGroup (where its line lands)`);
  }
  for (const key of ['stage', 'service'] as const) {
    const part = value(key);
    if (part !== undefined && !NAME_PART.test(part)) {
      throw new CouldNotJudgeError(`${where}: ${key} ${quoted(part)} is not a ${key} name`);
    }
  }
  const region = value('region');
  const stageService = value('service') ?? service;
  if (stage !== undefined && stageService === undefined) {
    throw new CouldNotJudgeError(
      `${where}: names no service: give it service:, pass --service <name>, or run beside the service's serverless.yml`,
    );
  }
  const request: TargetRequest =
    stage !== undefined
      ? { stage, service: stageService as string }
      : {
          url: parseRouteUrl(url as string, `${where}: url`),
          logGroupName: checkLogGroupName(logGroup as string, `${where}: logGroup`),
          service: service ?? '',
        };
  const name = value('name');
  const access = checkAccess(
    { profile: value('profile'), roleArn: value('roleArn'), externalId: value('externalId') },
    where,
  );
  return {
    name: name === undefined ? nameOf(request, region, service) : safeText(name, 80),
    region,
    request,
    source: where,
    access,
  };
}

/** Reads and checks the text of a file, within its size cap. */
async function readCapped(path: string): Promise<string> {
  const shown = quoted(path);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CouldNotJudgeError(`targets file ${shown} is not a file`);
    if (info.size > MANY_TARGETS_DEFAULTS.maxTargetsFileBytes) {
      throw new CouldNotJudgeError(
        `targets file ${shown} is ${info.size} bytes; at most ${MANY_TARGETS_DEFAULTS.maxTargetsFileBytes} are read`,
      );
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CouldNotJudgeError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CouldNotJudgeError(
      code === 'ENOENT'
        ? `targets file ${shown} does not exist`
        : `targets file ${shown} cannot be read: ${safeMessage(error, 120)}`,
    );
  }
}

/**
 * Reads a targets file (YAML, or JSON, which YAML reads too): a `targets:` list of
 * `{name?, stage, region?, service?}` or `{name?, url, logGroup, region?}`. Anything wrong is one
 * CouldNotJudgeError naming the file and the entry, before any call.
 */
export async function readTargetsFile(
  path: string,
  service: string | undefined,
): Promise<FleetTarget[]> {
  const shown = quoted(path);
  const text = await readCapped(path);
  if (
    nestingDepth(text, MANY_TARGETS_DEFAULTS.maxTargetsFileDepth) >
    MANY_TARGETS_DEFAULTS.maxTargetsFileDepth
  ) {
    throw new CouldNotJudgeError(
      `targets file ${shown} nests deeper than ${MANY_TARGETS_DEFAULTS.maxTargetsFileDepth} levels; a targets file needs 3`,
    );
  }
  // Loaded here: only a targets file needs a YAML parser, and it costs memory to load.
  const { parse } = await import('yaml');
  let document: unknown;
  try {
    // YAML 1.2 core: unique keys, aliases capped (no billion laughs), JSON read as is.
    document = parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    const first = (safeMessage(error, 160).split(/\\u\{a\}|\n/)[0] ?? '').replace(/:$/, '');
    throw new CouldNotJudgeError(`targets file ${shown} is not JSON or YAML: ${first}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new CouldNotJudgeError(`targets file ${shown} must be a mapping with a targets: list`);
  }
  for (const key of Object.keys(document)) {
    if (key !== 'targets') {
      throw new CouldNotJudgeError(
        `targets file ${shown}: unknown key ${quoted(key)} (only targets:)`,
      );
    }
  }
  const list = (document as { targets?: unknown }).targets;
  if (!Array.isArray(list)) {
    throw new CouldNotJudgeError(`targets file ${shown} must have a targets: list`);
  }
  if (list.length === 0) throw new CouldNotJudgeError(`targets file ${shown} has no targets`);
  if (list.length > MANY_TARGETS_DEFAULTS.maxTargets) {
    throw new CouldNotJudgeError(
      `targets file ${shown} has ${list.length} targets; at most ${MANY_TARGETS_DEFAULTS.maxTargets} are verified in one run`,
    );
  }
  const seen = new Map<string, number>();
  return list.map((raw, index) => {
    const where = `targets file ${shown}, entry ${index + 1}`;
    const target = entryOf(raw, where, service);
    const first = seen.get(target.name);
    if (first !== undefined) {
      throw new CouldNotJudgeError(
        `${where}: name ${quoted(target.name)} is already entry ${first}'s; give each target its own name`,
      );
    }
    seen.set(target.name, index + 1);
    return target;
  });
}

/** Refuses a region typo in any target (with "did you mean"), before any call. */
export async function checkTargetRegions(
  targets: FleetTarget[],
  aws: AwsSettings,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const regions = new Set(targets.map((target) => target.region ?? aws.region));
  for (const region of regions) {
    try {
      await checkCallDestination({ ...aws, region }, env);
    } catch (error) {
      const target = targets.find((t) => (t.region ?? aws.region) === region);
      throw new CouldNotJudgeError(`${target?.source ?? '--region'}: ${safeMessage(error)}`);
    }
  }
}
