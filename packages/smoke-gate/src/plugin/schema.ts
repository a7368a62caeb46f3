import { OPTIONS } from '../core/options.ts';

const { min, max } = OPTIONS.timeout.range;

const map = { type: 'object' } as const;

/**
 * The `custom.smokeTest` schema, registered where the framework has a schema handler. Unknown
 * keys are left to the plugin's own check (service-contract.ts), which names the closest key.
 */
export const SMOKE_TEST_SCHEMA = {
  type: 'object',
  properties: {
    function: { type: 'string' },
    path: { type: 'string' },
    correlationHeader: { type: 'string' },
    response: map,
    logLine: map,
    monitoring: { anyOf: [map, { type: 'boolean' }] },
    enforceLogLevel: { type: 'boolean' },
    verifyAfterDeploy: { type: 'boolean' },
    rollbackOnFailure: { type: 'boolean' },
    recordsKey: { type: 'string' },
    timeout: { type: 'number', minimum: min, maximum: max },
  },
} as const;
