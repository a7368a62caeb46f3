import { MONITORING_KEYS, SMOKE_TEST_KEY_TABLE, SMOKE_TEST_KEYS } from '../core/smoke-test-keys.ts';

/** An object schema naming `keys`: their values are checked by the plugin's own readers. */
const named = (keys: readonly string[]) =>
  ({
    type: 'object',
    properties: Object.fromEntries(keys.map((key) => [key, {}])),
  }) as const;

/**
 * The `custom.smokeTest` schema, registered where the framework has a schema handler, built from
 * the one key table (core/smoke-test-keys.ts). Unknown keys are left to the plugin's own check
 * (template/service-contract.ts), which names the closest key.
 */
export const SMOKE_TEST_SCHEMA = {
  type: 'object',
  properties: {
    ...SMOKE_TEST_KEY_TABLE,
    response: named(SMOKE_TEST_KEYS.response),
    logLine: named(SMOKE_TEST_KEYS.logLine),
    monitoring: { anyOf: [named(MONITORING_KEYS.monitoring), { type: 'boolean' }] },
  },
} as const;
