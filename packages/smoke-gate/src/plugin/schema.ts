import { OPTIONS } from '../core/options.ts';

const { min, max } = OPTIONS.timeout.range;

/** The `custom.smokeTest` schema, registered where the framework has a schema handler. */
export const SMOKE_TEST_SCHEMA = {
  type: 'object',
  properties: {
    verifyAfterDeploy: { type: 'boolean' },
    rollbackOnFailure: { type: 'boolean' },
    timeout: { type: 'number', minimum: min, maximum: max },
  },
  additionalProperties: false,
} as const;
