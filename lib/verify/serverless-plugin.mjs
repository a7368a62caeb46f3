// Serverless Framework plugin: `serverless smoke`, verification after `serverless deploy` and
// `serverless rollback` (which it extends with --commit), and the build stamp on the template.
// Plain JS so that loading it costs nothing on other commands and needs no TypeScript support;
// the work is in serverless-smoke.ts, imported when a verification runs.

import { createRequire } from 'node:module';

/** lib/contract.ts DEPLOYABLE_LOG_LEVELS, repeated here to stay plain JS (a test holds them equal). */
export const DEPLOYABLE_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO'];

/**
 * Normalises provider.environment.POWERTOOLS_LOG_LEVEL (any case) and sets Lambda's application
 * log level to match, so neither can hide the smoke line. Returns a one-line error for a level
 * that would (WARN, ERROR, a typo), or undefined.
 */
export function applyDeployableLogLevel(service) {
  const provider = service?.provider;
  if (provider === undefined) return undefined;
  const raw = provider.environment?.POWERTOOLS_LOG_LEVEL;
  const level = String(raw ?? 'INFO')
    .trim()
    .toUpperCase();
  if (!DEPLOYABLE_LOG_LEVELS.includes(level)) {
    const shown = JSON.stringify(String(raw)).slice(0, 60);
    return `POWERTOOLS_LOG_LEVEL ${shown} cannot be deployed: it must be one of ${DEPLOYABLE_LOG_LEVELS.join(', ')} (any case), or the smoke test line is hidden. Set it in the deploying shell or in serverless.yml provider.environment.`;
  }
  provider.environment = { ...provider.environment, POWERTOOLS_LOG_LEVEL: level };
  provider.logs ??= {};
  provider.logs.lambda = { ...provider.logs.lambda, applicationLogLevel: level };
  return undefined;
}

/**
 * The `custom.smokeTest` schema. Its limits repeat lib/verify/defaults.ts VERIFY_DEFAULTS to stay
 * plain JS; a test holds them equal.
 */
export const SMOKE_TEST_SCHEMA = {
  type: 'object',
  properties: {
    verifyAfterDeploy: { type: 'boolean' },
    rollbackOnFailure: { type: 'boolean' },
    timeout: { type: 'number', minimum: 1, maximum: 3600 },
  },
  additionalProperties: false,
};

/** The default deadline in seconds (VERIFY_DEFAULTS.timeoutSeconds), for `--help`. */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/** The framework's logger, or the console with the same methods when there is none. */
export const pluginLog = (utils) =>
  utils?.log ?? {
    notice: (message) => console.error(message),
    success: (message) => console.error(message),
    error: (message) => console.error(message),
  };

/** Template metadata keys (lib/verify/build-stamp.ts RELEASE_METADATA / VERSION_METADATA). */
export const RELEASE_METADATA = 'petsage:release';
export const VERSION_METADATA = 'petsage:version';

/**
 * Stamps what the bundle was built from (the release id esbuild puts in it, the package version)
 * on each function of the compiled template, so the stack and every deployment in the bucket say
 * which commit they run.
 */
export function stampRelease(template) {
  const require = createRequire(import.meta.url);
  const { resolveReleaseId } = require('../../esbuild.config.cjs');
  const { version } = require('../../package.json');
  for (const resource of Object.values(template?.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    resource.Metadata = {
      ...resource.Metadata,
      [RELEASE_METADATA]: resolveReleaseId(),
      [VERSION_METADATA]: version,
    };
  }
}

/** Adds `serverless smoke` and the `after:deploy:deploy` verification. */
export class SmokeTestPlugin {
  constructor(serverless, cliOptions, utils) {
    this.serverless = serverless;
    this.cliOptions = cliOptions;
    this.log = pluginLog(utils);
    this.commands = {
      smoke: {
        usage: 'Verify the deployed route answers and its log line reaches CloudWatch Logs',
        lifecycleEvents: ['verify'],
        options: {
          timeout: {
            usage: `Deadline in seconds, ${SMOKE_TEST_SCHEMA.properties.timeout.minimum}-${SMOKE_TEST_SCHEMA.properties.timeout.maximum} (default: custom.smokeTest.timeout, else ${DEFAULT_TIMEOUT_SECONDS})`,
            type: 'string',
          },
          json: { usage: 'Print the report as one JSON object on stdout', type: 'boolean' },
          junit: { usage: 'Also write a JUnit XML report to this file', type: 'string' },
        },
      },
      // Extends the framework's own rollback command: listed in `serverless rollback --help`.
      rollback: {
        options: {
          commit: {
            usage:
              'Roll back to the newest deployment built from this commit (sha or prefix); verified afterwards',
            type: 'string',
          },
        },
      },
      // Extends the framework's own deploy command: listed in `serverless deploy --help`.
      deploy: {
        options: {
          'skip-smoke': {
            usage: 'Deploy without the post-deploy smoke test (this deploy only)',
            type: 'boolean',
          },
          'skip-rollback': {
            usage: 'Leave a deploy that fails the smoke test live (this deploy only)',
            type: 'boolean',
          },
          junit: { usage: 'Write the smoke test JUnit XML report to this file', type: 'string' },
          json: {
            usage: 'Print the smoke test report (and any rollback) as one JSON object on stdout',
            type: 'boolean',
          },
        },
      },
    };
    this.logLevelProblem = applyDeployableLogLevel(serverless.service);
    this.hooks = {
      'before:package:initialize': () => this.checkLogLevel(),
      'before:package:finalize': () =>
        stampRelease(this.serverless.service.provider?.compiledCloudFormationTemplate),
      'before:rollback:initialize': () => this.resolveCommit(),
      'after:rollback:rollback': () => this.verifyRollback(),
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

  checkLogLevel() {
    if (this.logLevelProblem === undefined) return;
    const FrameworkError = this.serverless.classes?.Error ?? Error;
    throw new FrameworkError(this.logLevelProblem, 'SMOKE_TEST_LOG_LEVEL');
  }

  /** What every step gets of the framework: itself, the command line and its logger. */
  frameworkContext() {
    return { serverless: this.serverless, cliOptions: this.cliOptions, log: this.log };
  }

  /** `--commit` becomes the framework's `--timestamp`, before the framework's rollback runs. */
  async resolveCommit() {
    if (this.cliOptions.commit === undefined) return;
    const { resolveRollbackCommit } = await import('./serverless-smoke.ts');
    await this.frameworkErrors(() => resolveRollbackCommit(this.frameworkContext()));
  }

  /** Every `serverless rollback` to a deployment is verified and recorded (not the gate's own). */
  async verifyRollback() {
    if (this.cliOptions['smoke-internal'] || this.cliOptions.timestamp === undefined) return;
    await this.verify('rollback');
  }

  async verify(trigger) {
    const startedAt = Date.now();
    const { runServerlessSmoke } = await import('./serverless-smoke.ts');
    await this.frameworkErrors(() =>
      runServerlessSmoke({ ...this.frameworkContext(), trigger, startedAt }),
    );
  }

  /** Runs `work`; its SmokeTestFailedError becomes the framework's error, with the verifier's exit code. */
  async frameworkErrors(work) {
    const { SmokeTestFailedError } = await import('./serverless-smoke.ts');
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
