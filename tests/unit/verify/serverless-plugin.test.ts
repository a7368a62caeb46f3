import { afterEach, describe, expect, it, vi } from 'vitest';
import { VERIFY_DEFAULTS } from '../../../lib/verify/defaults.ts';
import {
  DEFAULT_TIMEOUT_SECONDS,
  pluginLog,
  SMOKE_TEST_SCHEMA,
  SmokeTestPlugin,
} from '../../../lib/verify/serverless-plugin.mjs';

/** The least of the framework a plugin constructor touches. */
const framework = () => {
  const schemas: unknown[] = [];
  return {
    schemas,
    serverless: {
      service: { service: 'petsage-smoke-test', custom: {} },
      getProvider: () => {
        throw new Error('not called at construction');
      },
      configSchemaHandler: { defineCustomProperties: (schema: unknown) => schemas.push(schema) },
    },
  };
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the plugin schema and defaults', () => {
  it('holds the plain-JS limits to VERIFY_DEFAULTS', () => {
    expect(SMOKE_TEST_SCHEMA.properties.timeout).toStrictEqual({
      type: 'number',
      minimum: VERIFY_DEFAULTS.minTimeoutSeconds,
      maximum: VERIFY_DEFAULTS.maxTimeoutSeconds,
    });
    expect(DEFAULT_TIMEOUT_SECONDS).toBe(VERIFY_DEFAULTS.timeoutSeconds);
  });

  it('declares custom.smokeTest so that configValidationMode: error catches typos', () => {
    // Prepare
    const { serverless, schemas } = framework();
    // Act
    new SmokeTestPlugin(serverless, {});
    // Assess
    expect(schemas).toStrictEqual([
      { type: 'object', properties: { smokeTest: SMOKE_TEST_SCHEMA } },
    ]);
  });

  it('lists its hooks as the type declaration says', () => {
    // Act
    const plugin = new SmokeTestPlugin(framework().serverless, {});
    // Assess
    expect(Object.keys(plugin.hooks).sort()).toStrictEqual([
      'after:deploy:deploy',
      'after:deploy:function:deploy',
      'before:package:initialize',
      'smoke:verify',
    ]);
    expect(typeof plugin.checkLogLevel).toBe('function');
    expect(typeof plugin.verify).toBe('function');
  });
});

describe('pluginLog', () => {
  it('uses the framework logger when there is one', () => {
    const log = { notice: () => undefined };
    expect(pluginLog({ log })).toBe(log);
  });

  it('falls back to stderr with notice, success and error (console has no notice)', () => {
    // Prepare
    const written = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // Act
    const log = pluginLog(undefined);
    log.notice('one');
    log.success?.('two');
    log.error?.('three');
    // Assess
    expect(written.mock.calls).toStrictEqual([['one'], ['two'], ['three']]);
  });
});
