import { awsSettingsFrom } from '../aws/aws-clients.ts';
import { checkAccess, type TargetAccess } from '../aws/target-access.ts';
import type { SmokeContract } from '../core/contract.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { rangedValue } from '../core/options.ts';
import { safeText } from '../core/safe-text.ts';
import { type FleetTarget, readTargetsFile, targetsFromFlags } from '../fleet/fleet-targets.ts';
import type { VerificationTarget } from '../verification/run-verification.ts';
import { parseRouteUrl } from '../verification/targets.ts';
import type { Values } from './flags.ts';
import { requiredService, serviceOf } from './service-name.ts';

/** The one value of a repeatable flag, for a command (or a run) that takes one. */
export const oneOf = (given: string[] | undefined, flag: string, what: string) => {
  if (given !== undefined && given.length > 1) {
    const more =
      what === '--targets'
        ? ' (the region of entries that name none)'
        : '; --targets <file> lists many';
    throw new CouldNotJudgeError(`${what} takes one ${flag}${more}`);
  }
  return given?.[0];
};

/** True when the run is over many targets: a targets file, or several stages or regions. */
export const isFleet = (values: Values): boolean =>
  values.targets !== undefined ||
  (values.stage?.length ?? 0) > 1 ||
  (values.region?.length ?? 0) > 1;

/** The targets of a run over many: the targets file's entries, or every --stage in every --region. */
export async function fleetOf(values: Values): Promise<FleetTarget[]> {
  if (values.targets === undefined) {
    const access = accessOf(values);
    return targetsFromFlags({
      stages: values.stage ?? [],
      regions: values.region ?? [],
      service: requiredService(values),
      access,
    });
  }
  const service = serviceOf(values);
  return readTargetsFile(values.targets, service);
}

/**
 * The flags of a run over many targets, checked before anything is read (usage errors): a flag
 * that names one target (--url, --log-group, --local, --path) is refused, as is --stage with
 * --targets.
 */
export function checkFleetFlags(values: Values): void {
  const single = (['url', 'log-group', 'local', 'path'] as const).find(
    (f) => values[f] !== undefined,
  );
  if (single !== undefined) {
    throw new CouldNotJudgeError(
      `--${single} names one target; with several, list them in --targets <file> (url and logGroup per entry)`,
    );
  }
  if (values.targets !== undefined && values.stage !== undefined) {
    throw new CouldNotJudgeError('--targets lists the stages: leave out --stage');
  }
}

/** `--logs-rate`: CloudWatch Logs calls per second per region, in its range. */
export const logsRateOf = (values: Values): number => rangedValue('logs-rate', values['logs-rate']);

/** `--contract <file>`: the contract to verify against, read before anything runs. */
export const contractOf = async (values: Values) => (await judgedBy(values))?.contract;

/**
 * The contract a run gives, and where from: `--contract <file>`; else, for a bare `--url` run (no
 * stack to read one from), the `custom.smokeTest` of ./serverless.yml when it has one; else none
 * (the stack's, or the defaults, and the report says which).
 */
export async function judgedBy(
  values: Values,
  cwd = process.cwd(),
): Promise<{ contract: SmokeContract; from: string } | undefined> {
  const { readContractFile, serviceContractIn } = await import('../verification/contract-file.ts');
  if (values.contract !== undefined) {
    const contract = await readContractFile(values.contract);
    return { contract, from: `--contract ${JSON.stringify(safeText(values.contract, 120))}` };
  }
  if (values.url === undefined || values.stage !== undefined || values.targets !== undefined) {
    return undefined;
  }
  const contract = await serviceContractIn(cwd);
  return contract === undefined
    ? undefined
    : { contract, from: 'custom.smokeTest of ./serverless.yml' };
}

/** What `verify` verifies: a deployed stack or URL, or a local serverless-offline. */
export const targetOf = (values: Values): VerificationTarget => {
  const stage = oneOf(values.stage, '--stage', 'one target');
  if (values.local) {
    if (values.url !== undefined || stage !== undefined) {
      throw new CouldNotJudgeError('--local starts its own server: leave out --url and --stage');
    }
    return { kind: 'local', cwd: process.cwd(), path: values.path };
  }
  if (values.path !== undefined) throw new CouldNotJudgeError('--path goes with --local');
  // Checked once, by runVerification, before any call.
  return {
    kind: 'aws',
    url: values.url,
    logGroupName: values['log-group'],
    stage,
    // Only a stage's run names a stack: a --url and --log-group run needs no service.
    service: stage === undefined ? (values.service ?? '') : requiredService(values),
  };
};

/** Region, profile and endpoint from the flags and the environment. */
export const awsSettingsOf = (values: Values, env: NodeJS.ProcessEnv) => {
  if (values.profile !== undefined && values['aws-profile'] !== undefined) {
    throw new CouldNotJudgeError('pass --profile or --aws-profile, not both');
  }
  const endpoint =
    values['endpoint-url'] === undefined
      ? undefined
      : parseRouteUrl(values['endpoint-url'], '--endpoint-url', 'endpoint');
  return awsSettingsFrom(
    {
      // Several --region flags go to the targets; a targets file takes one, its entries' default.
      region:
        isFleet(values) && values.targets === undefined
          ? undefined
          : oneOf(
              values.region,
              '--region',
              values.targets === undefined ? 'one target' : '--targets',
            ),
      profile: values.profile ?? values['aws-profile'],
      endpoint,
    },
    env,
  );
};

/** `--role-arn` and `--external-id`, checked (one target, or repeated --stage / --region). */
export const accessOf = (values: Values): TargetAccess | undefined => {
  if (values.targets !== undefined && values['role-arn'] !== undefined) {
    throw new CouldNotJudgeError(
      '--role-arn goes with --stage; in a targets file, give roleArn per entry',
    );
  }
  return checkAccess(
    { roleArn: values['role-arn'], externalId: values['external-id'] },
    '--role-arn',
  );
};

/** `status --stale-after`: minutes, in its range. */
export const staleAfterOf = (values: Values): number =>
  rangedValue('stale-after', values['stale-after']);
