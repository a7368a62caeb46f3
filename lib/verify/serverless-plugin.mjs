// Serverless Framework plugin: `serverless smoke` and verification after `serverless deploy`.
// Plain JS so that loading it costs nothing on other commands; the work is in serverless-smoke.ts.

/** Adds `serverless smoke` and the `after:deploy:deploy` verification. */
export class SmokeTestPlugin {
  constructor(serverless, cliOptions, utils) {
    this.serverless = serverless;
    this.cliOptions = cliOptions;
    this.log = utils?.log ?? console;
    this.commands = {
      smoke: {
        usage: 'Verify the deployed route answers and its log line reaches CloudWatch Logs',
        lifecycleEvents: ['verify'],
        options: {
          timeout: {
            usage: 'Deadline in seconds (default: custom.smokeTest.timeout, else 120)',
            type: 'string',
          },
        },
      },
    };
    this.hooks = {
      'smoke:verify': () => this.verify('command'),
      'after:deploy:deploy': () => this.verify('deploy'),
    };
    // Declared so that configValidationMode: error catches typos under custom.smokeTest.
    serverless.configSchemaHandler?.defineCustomProperties({
      type: 'object',
      properties: {
        smokeTest: {
          type: 'object',
          properties: {
            verifyAfterDeploy: { type: 'boolean' },
            timeout: { type: 'number', exclusiveMinimum: 0 },
          },
          additionalProperties: false,
        },
      },
    });
  }

  async verify(trigger) {
    const { runServerlessSmoke, SmokeTestFailedError } = await import('./serverless-smoke.ts');
    try {
      await runServerlessSmoke({
        serverless: this.serverless,
        cliOptions: this.cliOptions,
        log: this.log,
        trigger,
      });
    } catch (error) {
      // The framework's own error class prints the message without a stack and exits non-zero.
      const FrameworkError = this.serverless.classes?.Error;
      if (error instanceof SmokeTestFailedError && FrameworkError) {
        throw new FrameworkError(error.message, 'SMOKE_TEST_FAILED');
      }
      throw error;
    }
  }
}

// biome-ignore lint/style/noDefaultExport: the framework loads a plugin's default export.
export default SmokeTestPlugin;
