import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../harness/project/project.ts';
import { readContract } from '../../../../packages/smoke-gate/src/core/contract-config.ts';
import {
  MONITORING_KEYS,
  SMOKE_TEST_KEYS,
} from '../../../../packages/smoke-gate/src/core/smoke-test-keys.ts';
import { SMOKE_TEST_SCHEMA } from '../../../../packages/smoke-gate/src/plugin/schema.ts';
import { readMonitoring } from '../../../../packages/smoke-gate/src/template/monitoring-config.ts';

const propertiesOf = (schema: unknown): string[] =>
  Object.keys((schema as { properties: Record<string, unknown> }).properties).sort();

describe('the one key table of custom.smokeTest', () => {
  it('documents every key in docs/use-the-gate.md’s table, once', () => {
    // Prepare
    const docs = readFileSync(join(PROJECT_DIR, 'docs/use-the-gate.md'), 'utf8');
    // Act
    // Sections (response, logLine) are documented key by key: `response.status`, ….
    const keys = SMOKE_TEST_KEYS[''].flatMap((key) =>
      key === 'response' || key === 'logLine'
        ? SMOKE_TEST_KEYS[key].map((sub) => `${key}.${sub}`)
        : [key],
    );
    const rows = keys.map((key) => [key, docs.split(`\n| \`${key}\` |`).length - 1]);
    // Assess
    expect(rows.filter(([, count]) => count !== 1)).toStrictEqual([]);
  });

  it('gives the schema exactly the keys the readers take, section by section', () => {
    // Act
    const { properties } = SMOKE_TEST_SCHEMA;
    const [monitoringMap] = properties.monitoring.anyOf;
    // Assess
    expect(propertiesOf(SMOKE_TEST_SCHEMA)).toStrictEqual([...SMOKE_TEST_KEYS['']].sort());
    expect(propertiesOf(properties.response)).toStrictEqual([...SMOKE_TEST_KEYS.response].sort());
    expect(propertiesOf(properties.logLine)).toStrictEqual([...SMOKE_TEST_KEYS.logLine].sort());
    expect(propertiesOf(monitoringMap)).toStrictEqual([...MONITORING_KEYS.monitoring].sort());
  });

  it('lets the framework’s schema accept every key a reader takes (url among them)', () => {
    // Prepare
    const validate = new Ajv({ strict: false }).compile(SMOKE_TEST_SCHEMA);
    const config = {
      url: 'https://api.example.com/health',
      path: '/health',
      timeout: 60,
      response: { status: 200 },
      monitoring: { heartbeat: false },
    };
    // Act
    const valid = validate(config);
    // Assess
    expect(validate.errors ?? []).toStrictEqual([]);
    expect(valid).toBe(true);
    expect(validate({ ...config, timeout: 0 })).toBe(false);
    expect(validate({ ...config, monitoring: 'yes' })).toBe(false);
  });

  it('has the readers refuse a key the table does not hold, naming the closest', () => {
    // Act
    const contract = () => readContract({ respnse: {} });
    const monitoring = () => readMonitoring({ hearbeat: false }, { name: 's', stage: 'dev' });
    // Assess
    expect(contract).toThrow(/unknown key "respnse": did you mean "response"/);
    expect(monitoring).toThrow(/unknown key "hearbeat": did you mean "heartbeat"/);
  });
});
