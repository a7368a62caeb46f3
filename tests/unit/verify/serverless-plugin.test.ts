import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  RELEASE_METADATA,
  VERSION_METADATA,
} from '../../../packages/smoke-gate/src/deployments/build-stamp.ts';
import {
  pluginLog,
  SMOKE_TEST_SCHEMA,
  SmokeTestPlugin,
  stampRelease,
} from '../../../packages/smoke-gate/src/plugin/index.ts';

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

describe('stampRelease', () => {
  const template = () => ({
    Resources: {
      HealthLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
      HealthLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    },
  });

  it('stamps the service’s release id and its own package version, under the keys the verifier reads', () => {
    // Prepare: a service folder of its own (the gate runs from its node_modules)
    const serviceDir = mkdtempSync(join(tmpdir(), 'stamp-'));
    writeFileSync(join(serviceDir, 'package.json'), JSON.stringify({ version: '3.4.5' }));
    const compiled = template();
    // Act
    try {
      stampRelease(compiled, serviceDir, { RELEASE_ID: 'abc123' });
    } finally {
      rmSync(serviceDir, { recursive: true, force: true });
    }
    // Assess
    expect(compiled.Resources.HealthLambdaFunction).toMatchObject({
      Metadata: { [RELEASE_METADATA]: 'abc123', [VERSION_METADATA]: '3.4.5' },
    });
    expect(compiled.Resources.HealthLogGroup).not.toHaveProperty('Metadata');
  });

  it('stamps unknown for a folder outside git with no package.json', () => {
    // Prepare
    const serviceDir = mkdtempSync(join(tmpdir(), 'stamp-'));
    const compiled = template();
    // Act
    try {
      stampRelease(compiled, serviceDir, {});
    } finally {
      rmSync(serviceDir, { recursive: true, force: true });
    }
    // Assess
    expect(compiled.Resources.HealthLambdaFunction).toMatchObject({
      Metadata: { [RELEASE_METADATA]: 'unknown', [VERSION_METADATA]: 'unknown' },
    });
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
