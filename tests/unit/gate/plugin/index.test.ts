import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  pluginLog,
  SMOKE_TEST_SCHEMA,
  SmokeTestPlugin,
} from '../../../../packages/smoke-gate/src/plugin/index.ts';

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
      'after:rollback:rollback',
      'before:package:finalize',
      'before:package:initialize',
      'before:rollback:initialize',
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
