import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { DEFAULT_SERVICE_NAME, SMOKE_TEST_MESSAGE } from '../../lib/contract.ts';
import { buildFailurePayload, buildHealthPayload } from '../../lib/payload.ts';
import packageJson from '../../package.json' with { type: 'json' };

const config = { service: 'petsage-smoke-test', stage: 'prod', version: '1.2.3', releaseId: 'abc' };
const now = new Date('2026-11-22T03:05:10.007Z');

describe('buildHealthPayload', () => {
  it('has every field of the response contract', () => {
    expect(buildHealthPayload(config, 'probe-1', now)).toStrictEqual({
      status: 'ok',
      message: SMOKE_TEST_MESSAGE,
      feature: 'smoke_test',
      service: 'petsage-smoke-test',
      version: '1.2.3',
      releaseId: 'abc',
      stage: 'prod',
      timestamp: '2026-11-22T03:05:10.007Z',
      correlationId: 'probe-1',
    });
  });

  it('keeps the message of the earlier FastAPI versions', () => {
    expect(SMOKE_TEST_MESSAGE).toBe('PetSage system is alive and purring!');
  });
});

describe('buildFailurePayload', () => {
  it('says fail and carries no error details', () => {
    const payload = buildFailurePayload(config, 'probe-1', now);
    expect(payload.status).toBe('fail');
    expect(payload.correlationId).toBe('probe-1');
    expect(Object.keys(payload).sort()).toStrictEqual(
      ['correlationId', 'feature', 'message', 'service', 'status', 'timestamp'].sort(),
    );
  });
});

describe('loadConfig', () => {
  it('reads the service and stage from the environment', () => {
    const loaded = loadConfig({ POWERTOOLS_SERVICE_NAME: 'petsage-api', STAGE: 'staging' });
    expect(loaded.service).toBe('petsage-api');
    expect(loaded.stage).toBe('staging');
  });

  it('defaults the service name and marks an unknown stage', () => {
    const loaded = loadConfig({ POWERTOOLS_SERVICE_NAME: '  ' });
    expect(loaded.service).toBe(DEFAULT_SERVICE_NAME);
    expect(loaded.stage).toBe('unknown');
  });

  it('reports the package.json version and a commit id injected at build time', () => {
    const loaded = loadConfig({});
    expect(loaded.version).toBe(packageJson.version);
    expect(loaded.releaseId).toMatch(/^([0-9a-f]{40}|unknown)$/);
  });
});
