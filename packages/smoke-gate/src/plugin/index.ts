// Serverless Framework plugin: `serverless smoke`, verification after `serverless deploy` and
// `serverless rollback` (which it extends with --commit), and the build stamp on the template.
// Loading it costs little on other commands: the work is in serverless-smoke.ts, imported when a
// verification runs.

import { type PluginLog, SmokeTestFailedError } from '../core/framework.ts';
import type { LiveRollback } from '../deployments/rollback-by-commit.ts';
import { deployedNotVerified } from '../gate/gate-crash.ts';
import { isGateRollback } from '../gate/internal-rollback.ts';
import type { SmokeTrigger } from '../gate/serverless-smoke.ts';
import { applyDeployableLogLevel } from '../template/log-level.ts';
import { heartbeatsOf, type MonitoringSettings } from '../template/monitoring-config.ts';
import {
  addGateToTemplate,
  addMonitoringEvents,
  enforcesLogLevel,
  guardedRoleName,
  monitoringProblem,
  type ServiceGate,
  serviceGate,
} from '../template/service-gate.ts';
import { PLUGIN_COMMANDS } from './commands.ts';
import { checkCandidateFree, checkDeployCaller, skipFrameworkRollback } from './deploy-checks.ts';
import { frameworkIdentity, untestedFramework } from './framework-range.ts';
import { deployedStackOf, readFrameworkStage } from './framework-stage.ts';
import { type EndOwnTmp, useOwnTmp } from './package-tmp.ts';
import { packagedService } from './packaged-service.ts';
import { SMOKE_TEST_SCHEMA } from './schema.ts';
import type { PluginServerless } from './serverless-like.ts';

export { applyDeployableLogLevel } from '../template/log-level.ts';
export { stampRelease } from '../template/release-stamp.ts';
export { readServiceContract } from '../template/service-contract.ts';
export { SMOKE_TEST_SCHEMA } from './schema.ts';

export type { PluginServerless } from './serverless-like.ts';

/** The framework's lifecycle events the plugin hooks into. */
type HookName =
  | 'before:package:initialize'
  | 'before:package:finalize'
  | 'after:package:finalize'
  | 'before:deploy:function:initialize'
  | 'after:deploy:function:packageFunction'
  | 'before:rollback:initialize'
  | 'after:rollback:rollback'
  | 'smoke:verify'
  | 'before:deploy:deploy'
  | 'after:deploy:deploy'
  | 'after:deploy:function:deploy';

/** The framework's logger, or the console with the same methods when there is none. */
export const pluginLog = (utils?: { log?: PluginLog }): PluginLog =>
  utils?.log ?? {
    notice: (message) => console.error(message),
    success: (message) => console.error(message),
    error: (message) => console.error(message),
  };

/** The one line a service with a direct heartbeat but no route line is told at package time. */
export const ROUTE_HEARTBEAT_OFF =
  'Smoke test: no route heartbeat: set custom.smokeTest.monitoring.routeLine to a key and value the function writes for route calls to have EventBridge walk the public route too.';

/** The one line a service with monitoring on but no heartbeat at all is told at package time. */
export const NO_HEARTBEAT =
  'Smoke test: no heartbeat between deploys, so no heartbeat alarm and no status: set custom.smokeTest.monitoring.routeLine to a key and value the function writes for route calls (EventBridge then calls the public route on the schedule), or directHeartbeat: true for a handler that takes a scheduled event.';

/** What a service is told at package time about its heartbeats, if anything. */
export function heartbeatNotice(monitoring: MonitoringSettings | undefined): string | undefined {
  if (monitoring === undefined || !monitoring.heartbeat) return undefined;
  const heartbeats = heartbeatsOf(monitoring);
  if (!heartbeats.direct && !heartbeats.route) return NO_HEARTBEAT;
  return heartbeats.route ? undefined : ROUTE_HEARTBEAT_OFF;
}

/** Adds `serverless smoke` and the `after:deploy:deploy` verification. */
export class SmokeTestPlugin {
  readonly serverless: PluginServerless;
  readonly cliOptions: Record<string, unknown>;
  readonly log: PluginLog;
  readonly logLevelProblem: string | undefined;
  /** The role the bucket guard this packaging added lets write (none: no guard added). */
  guardedRole: string | undefined;
  /** The other roles it lets write (custom.smokeTest.guardExemptRoles). */
  exemptRoles: string[] = [];
  /** The traffic mode's `rollback --commit`: what `live` was moved to, verified after the hook. */
  liveRollback: LiveRollback | undefined;
  /** Ends the temporary folder of the packaging in progress, if any. */
  endOwnTmp: EndOwnTmp | undefined;
  /** The service's contract and monitoring, read once at the first hook (variables resolved). */
  #gate: ServiceGate | Error | undefined;
  readonly commands = PLUGIN_COMMANDS;
  readonly hooks: Record<HookName, () => unknown>;

  constructor(
    serverless: PluginServerless,
    cliOptions: Record<string, unknown>,
    utils?: { log?: PluginLog },
  ) {
    this.serverless = serverless;
    this.cliOptions = cliOptions;
    this.log = pluginLog(utils);
    const untested = untestedFramework(frameworkIdentity(serverless));
    if (untested !== undefined) this.log.notice(untested);
    // Opt-in: a service that did not ask keeps the log settings it wrote.
    this.logLevelProblem = enforcesLogLevel(serverless.service.custom)
      ? applyDeployableLogLevel(serverless.service)
      : undefined;
    this.hooks = {
      'before:package:initialize': () => {
        this.startOwnTmp();
        this.checkLogLevel();
        const gate = this.checkedGate();
        const problem = monitoringProblem(gate);
        if (problem !== undefined) this.#gate = new Error(problem);
        addMonitoringEvents(packagedService(serverless), this.checkedGate());
      },
      'before:package:finalize': () => {
        const gate = this.checkedGate();
        const notice = heartbeatNotice(gate.monitoring);
        if (notice !== undefined) this.log.notice(notice);
        let unguarded: string | undefined;
        try {
          unguarded = addGateToTemplate(packagedService(serverless), gate);
        } catch (error) {
          const FrameworkError = this.serverless.classes?.Error ?? Error;
          throw new FrameworkError((error as Error).message, 'SMOKE_TEST_CONFIG');
        }
        if (unguarded !== undefined) this.log.notice(unguarded);
        this.guardedRole = unguarded === undefined ? guardedRoleName(gate) : undefined;
        this.exemptRoles = gate.guardExemptRoles;
      },
      'after:package:finalize': () => this.endOwnTmp?.(),
      // Before any bundler's packageFunction hook (serverless-esbuild zips there, listed first).
      'before:deploy:function:initialize': () => this.startOwnTmp(),
      'after:deploy:function:packageFunction': () => this.endOwnTmp?.(),
      'before:rollback:initialize': () => this.resolveCommit(),
      'after:rollback:rollback': () => this.verifyRollback(),
      'before:deploy:deploy': async () => {
        const guard = { deployRoleName: this.guardedRole, exemptRoles: this.exemptRoles };
        await checkDeployCaller(this.serverless, this.cliOptions, guard);
        await checkCandidateFree(this.serverless, this.cliOptions, this.checkedGate());
      },
      'smoke:verify': () => this.verify('command'),
      'after:deploy:deploy': () => this.verify('deploy'),
      'after:deploy:function:deploy': () => this.verify('deploy-function'),
    };
    // Declared so that configValidationMode: error catches typos under custom.smokeTest.
    serverless.configSchemaHandler?.defineCustomProperties({
      type: 'object',
      properties: { smokeTest: SMOKE_TEST_SCHEMA },
    });
  }

  /** Throws the framework's error when POWERTOOLS_LOG_LEVEL would hide the smoke line. */
  checkLogLevel(): void {
    if (this.logLevelProblem === undefined) return;
    const FrameworkError = this.serverless.classes?.Error ?? Error;
    throw new FrameworkError(this.logLevelProblem, 'SMOKE_TEST_LOG_LEVEL');
  }

  /** Packaging's temporary files go under the service's .serverless/ (package-tmp.ts). */
  startOwnTmp(): void {
    this.endOwnTmp?.();
    this.endOwnTmp = useOwnTmp(this.serverless.serviceDir ?? process.cwd());
  }

  /** The service's gate settings; their error, as the framework's, when they are wrong. */
  checkedGate(): ServiceGate {
    this.#gate ??= serviceGate(packagedService(this.serverless));
    if (!(this.#gate instanceof Error)) return this.#gate;
    const FrameworkError = this.serverless.classes?.Error ?? Error;
    throw new FrameworkError(this.#gate.message, 'SMOKE_TEST_CONFIG');
  }

  /** What every step gets of the framework: its stage as plain values, the command line, its logger. */
  frameworkContext() {
    const framework = readFrameworkStage(this.serverless, this.cliOptions);
    return { framework, cliOptions: this.cliOptions, log: this.log };
  }

  /**
   * Before the framework's rollback a person runs: `--commit` becomes its `--timestamp`, and the
   * deployment is checked as the gate's own rollbacks are (not the gate's own: checked already).
   */
  async resolveCommit(): Promise<void> {
    if (isGateRollback(this.cliOptions)) return;
    if (this.cliOptions.commit === undefined && this.cliOptions.timestamp === undefined) return;
    const { checkManualRollback } = await import('../gate/manual-rollback.ts');
    const skipStackRollback = () => skipFrameworkRollback(this.serverless);
    await this.frameworkErrors(async () => {
      this.liveRollback = await checkManualRollback({
        ...this.frameworkContext(),
        skipStackRollback,
      });
    });
  }

  /** Every `serverless rollback` to a deployment is verified and recorded (not the gate's own). */
  async verifyRollback(): Promise<void> {
    if (isGateRollback(this.cliOptions)) return;
    if (this.cliOptions.timestamp === undefined && this.liveRollback === undefined) return;
    await this.verify('rollback');
  }

  /** Runs the verification for one trigger; throws the framework's error when it fails. */
  async verify(trigger: SmokeTrigger): Promise<void> {
    const startedAt = Date.now();
    const { contract } = this.checkedGate();
    await this.frameworkErrors(async () => {
      try {
        const { runServerlessSmoke } = await import('../gate/serverless-smoke.ts');
        const restored = trigger === 'rollback' ? this.liveRollback : undefined;
        await runServerlessSmoke({
          ...this.frameworkContext(),
          trigger,
          startedAt,
          contract,
          restored,
        });
      } catch (error) {
        // After a deploy the stack is updated whatever broke here (a crash, a broken install):
        // say so, and the way out.
        if (trigger !== 'deploy' || error instanceof SmokeTestFailedError) throw error;
        throw deployedNotVerified(error, deployedStackOf(this.serverless, this.cliOptions));
      }
    });
  }

  /** Runs `work`; its SmokeTestFailedError becomes the framework's error, with the verifier's exit code. */
  async frameworkErrors(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof SmokeTestFailedError)) throw error;
      // The framework exits 1 on any error; keep the verifier's "could not judge" code, 2.
      if (error.exitCode === 2) process.once('exit', () => (process.exitCode = 2));
      // The framework's own error class prints the message without a stack and exits non-zero.
      const FrameworkError = this.serverless.classes?.Error ?? Error;
      throw new FrameworkError(error.message, 'SMOKE_TEST_FAILED');
    }
  }
}

// biome-ignore lint/style/noDefaultExport: the framework loads a plugin's default export.
export default SmokeTestPlugin;
