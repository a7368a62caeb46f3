// The commands and options the plugin adds to the framework's CLI: `serverless smoke`, and the
// options it adds to the framework's own `rollback` and `deploy` (listed in their --help).
import { OPTIONS, rangeText } from '../core/options.ts';

const SMOKE_OPTIONS = {
  timeout: {
    usage: `Deadline in seconds, ${rangeText('timeout')} unless custom.smokeTest.timeout sets one`,
    type: 'string',
  },
  json: { usage: OPTIONS.json.help, type: 'boolean' },
  junit: { usage: OPTIONS.junit.help.replace(/\n/g, ' '), type: 'string' },
} as const;

/** The plugin's commands, as the framework takes them. */
export const PLUGIN_COMMANDS = {
  smoke: {
    usage: 'Verify the deployed route answers and its log line reaches CloudWatch Logs',
    lifecycleEvents: ['verify'],
    options: SMOKE_OPTIONS,
  },
  // Extends the framework's own rollback command: listed in `serverless rollback --help`.
  rollback: {
    options: {
      commit: {
        usage:
          'Roll back to the newest deployment built from this commit (sha or prefix); verified afterwards',
        type: 'string',
      },
      force: {
        usage:
          'Roll back to a deployment recorded as failed, rolled back or interrupted (recorded as forced)',
        type: 'boolean',
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
      traffic: {
        usage:
          'The traffic mode: how live moves to the new version, this deploy only (all-at-once, canary, linear, canary:<percent>:<minutes>, linear:<percent>:<everyMinutes>)',
        type: 'string',
      },
    },
  },
};
