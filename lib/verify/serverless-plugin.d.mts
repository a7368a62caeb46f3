import type { PluginLog, ServerlessLike } from './framework.ts';

/** Adds `serverless smoke` and the `after:deploy:deploy` verification. */
export declare class SmokeTestPlugin {
  constructor(
    serverless: ServerlessLike & {
      classes?: { Error: ErrorConstructor };
      configSchemaHandler?: { defineCustomProperties(schema: unknown): void };
    },
    cliOptions: Record<string, unknown>,
    utils?: { log: PluginLog },
  );
  serverless: ServerlessLike;
  cliOptions: Record<string, unknown>;
  log: PluginLog;
  commands: Record<string, unknown>;
  logLevelProblem: string | undefined;
  hooks: Record<
    | 'before:package:initialize'
    | 'before:package:finalize'
    | 'before:rollback:initialize'
    | 'after:rollback:rollback'
    | 'smoke:verify'
    | 'after:deploy:deploy'
    | 'after:deploy:function:deploy',
    () => unknown
  >;
  /** Throws the framework's error when POWERTOOLS_LOG_LEVEL would hide the smoke line. */
  checkLogLevel(): void;
  /** Runs the verification for one trigger; throws the framework's error when it fails. */
  verify(trigger: 'command' | 'deploy' | 'deploy-function' | 'rollback'): Promise<void>;
  /** `serverless rollback --commit`: sets the framework's --timestamp, or throws listing candidates. */
  resolveCommit(): Promise<void>;
  /** Verifies and records after a `serverless rollback` to a deployment. */
  verifyRollback(): Promise<void>;
  /** What every step gets of the framework: itself, the command line and its logger. */
  frameworkContext(): {
    serverless: ServerlessLike;
    cliOptions: Record<string, unknown>;
    log: PluginLog;
  };
  /** Runs `work`, turning its SmokeTestFailedError into the framework's error. */
  frameworkErrors(work: () => Promise<unknown>): Promise<void>;
}
// biome-ignore lint/style/noDefaultExport: the framework loads a plugin's default export.
export default SmokeTestPlugin;

/** lib/contract.ts DEPLOYABLE_LOG_LEVELS, repeated in the plain-JS plugin. */
export declare const DEPLOYABLE_LOG_LEVELS: string[];

/** Template metadata keys, held equal to lib/verify/build-stamp.ts by a test. */
export declare const RELEASE_METADATA: string;
export declare const VERSION_METADATA: string;

/** Stamps the release id and version on each function of a compiled template. */
export declare function stampRelease(
  template: { Resources?: Record<string, unknown> } | undefined,
): void;

/** The `custom.smokeTest` schema (limits held equal to VERIFY_DEFAULTS by a test). */
export declare const SMOKE_TEST_SCHEMA: {
  type: 'object';
  properties: {
    verifyAfterDeploy: { type: 'boolean' };
    rollbackOnFailure: { type: 'boolean' };
    timeout: { type: 'number'; minimum: number; maximum: number };
  };
  additionalProperties: false;
};

/** The default deadline in seconds, for `--help` (held equal to VERIFY_DEFAULTS by a test). */
export declare const DEFAULT_TIMEOUT_SECONDS: number;

/** The framework's logger, or the console with the same methods when there is none. */
export declare function pluginLog(utils?: { log?: PluginLog }): PluginLog;

/** Normalises POWERTOOLS_LOG_LEVEL and Lambda's application level; returns a one-line problem. */
export declare function applyDeployableLogLevel(service: {
  provider?: {
    environment?: Record<string, unknown>;
    logs?: { lambda?: Record<string, unknown> };
  };
}): string | undefined;
