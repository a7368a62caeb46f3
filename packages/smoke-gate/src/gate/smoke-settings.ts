import { CouldNotJudgeError } from '../core/errors.ts';
import { SmokeTestFailedError } from '../core/framework.ts';
import { rangedValue } from '../core/options.ts';
import { EXIT_COULD_NOT_JUDGE } from '../core/verdicts.ts';
import { smokeTestConfig } from '../template/service-contract.ts';
import { readTraffic } from '../template/traffic-template.ts';
import { readShiftOption, type ShiftShape } from '../traffic/traffic-shift.ts';

/** The `custom.smokeTest` settings of serverless.yml, with the command line applied. */
export interface SmokeSettings {
  /** Verify after `serverless deploy` (custom.smokeTest.verifyAfterDeploy, --skip-smoke). */
  verifyAfterDeploy: boolean;
  /** Overall deadline in seconds (custom.smokeTest.timeout, --timeout). */
  timeoutSeconds: number;
  /** Where the command was told to skip, for the notice. */
  skippedBy: string | undefined;
  /** Roll back a deploy that fails (custom.smokeTest.rollbackOnFailure, --skip-rollback). */
  rollbackOnFailure: boolean;
  rollbackDisabledBy: string | undefined;
  /** Print one JSON object on stdout (--json). */
  json: boolean;
  /** Also write JUnit XML here (--junit). */
  junitPath: string | undefined;
  /** The traffic mode: how `live` moves (custom.smokeTest.traffic, --traffic); undefined outside it. */
  shift: ShiftShape | undefined;
  /** The traffic mode: the service's own alarms a shift's bake watches besides the gate's. */
  shiftAlarms: string[];
}

/** A boolean command-line flag as the framework passes it: `true`, or the string `'true'`. */
export const flag = (options: Record<string, unknown>, name: string): boolean =>
  options[name] === true || options[name] === 'true';

/**
 * Reads `custom.smokeTest` and the command line's `--timeout`, `--skip-smoke`, `--skip-rollback`,
 * `--json` and `--junit`; a bad timeout is a CouldNotJudgeError naming where it came from.
 */
export function readSmokeSettings(
  custom: unknown,
  cliOptions: Record<string, unknown> = {},
): SmokeSettings {
  const raw = smokeTestConfig(custom);
  const configured = raw.verifyAfterDeploy !== false;
  const skipFlag = flag(cliOptions, 'skip-smoke');
  const rollbackConfigured = raw.rollbackOnFailure !== false;
  const skipRollback = flag(cliOptions, 'skip-rollback');
  const timeoutSeconds =
    cliOptions.timeout !== undefined
      ? rangedValue('timeout', cliOptions.timeout)
      : rangedValue('timeout', raw.timeout, 'custom.smokeTest.timeout');
  return {
    verifyAfterDeploy: configured && !skipFlag,
    timeoutSeconds,
    skippedBy: skipFlag
      ? '--skip-smoke'
      : configured
        ? undefined
        : 'custom.smokeTest.verifyAfterDeploy is false',
    rollbackOnFailure: rollbackConfigured && !skipRollback,
    rollbackDisabledBy: skipRollback
      ? '--skip-rollback'
      : rollbackConfigured
        ? undefined
        : 'custom.smokeTest.rollbackOnFailure: false',
    json: flag(cliOptions, 'json'),
    junitPath: typeof cliOptions.junit === 'string' ? cliOptions.junit : undefined,
    ...shiftOf(raw.traffic, cliOptions.traffic),
  };
}

/** The shift of the traffic mode, `--traffic` over custom.smokeTest.traffic. */
function shiftOf(value: unknown, option: unknown): Pick<SmokeSettings, 'shift' | 'shiftAlarms'> {
  const traffic = readTraffic(value);
  if (traffic === undefined) return { shift: undefined, shiftAlarms: [] };
  const shift = typeof option === 'string' ? readShiftOption(option, traffic.shift) : traffic.shift;
  return { shift, shiftAlarms: traffic.alarms };
}

/** The settings of a gate that runs now: a wrong one is the framework's error, exit 2. */
export function gateSettings(custom: unknown, cliOptions: Record<string, unknown>): SmokeSettings {
  try {
    return readSmokeSettings(custom, cliOptions);
  } catch (error) {
    if (!(error instanceof CouldNotJudgeError)) throw error;
    const why = `Smoke test could not run: ${error.message}`;
    throw new SmokeTestFailedError(why, EXIT_COULD_NOT_JUDGE);
  }
}
