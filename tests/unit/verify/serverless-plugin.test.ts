import { afterEach, describe, expect, it, vi } from 'vitest';
import { RELEASE_METADATA, VERSION_METADATA } from '../../../lib/verify/build-stamp.ts';
import { VERIFY_DEFAULTS } from '../../../lib/verify/defaults.ts';
import {
  DEFAULT_TIMEOUT_SECONDS,
  RELEASE_METADATA as PLUGIN_RELEASE_METADATA,
  VERSION_METADATA as PLUGIN_VERSION_METADATA,
  pluginLog,
  SMOKE_TEST_SCHEMA,
  SmokeTestPlugin,
  stampRelease,
} from '../../../lib/verify/serverless-plugin.mjs';
import packageJson from '../../../package.json' with { type: 'json' };

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

describe('stampRelease', () => {
  it('stamps the release id and version on each function, under the keys the verifier reads', () => {
    // Prepare
    const previous = process.env.RELEASE_ID;
    process.env.RELEASE_ID = 'abc123';
    const template = {
      Resources: {
        HealthLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
        HealthLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: {} },
      },
    };
    // Act
    stampRelease(template);
    process.env.RELEASE_ID = previous;
    if (previous === undefined) delete process.env.RELEASE_ID;
    // Assess
    expect([PLUGIN_RELEASE_METADATA, PLUGIN_VERSION_METADATA]).toStrictEqual([
      RELEASE_METADATA,
      VERSION_METADATA,
    ]);
    expect(template.Resources.HealthLambdaFunction).toMatchObject({
      Metadata: { [RELEASE_METADATA]: 'abc123', [VERSION_METADATA]: packageJson.version },
    });
    expect(template.Resources.HealthLogGroup).not.toHaveProperty('Metadata');
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
