import { VERIFY_DEFAULTS as D } from '../core/defaults.ts';

/** The `custom.smokeTest` schema, registered where the framework has a schema handler. */
export const SMOKE_TEST_SCHEMA = {
  type: 'object',
  properties: {
    verifyAfterDeploy: { type: 'boolean' },
    rollbackOnFailure: { type: 'boolean' },
    timeout: { type: 'number', minimum: D.minTimeoutSeconds, maximum: D.maxTimeoutSeconds },
  },
  additionalProperties: false,
} as const;
