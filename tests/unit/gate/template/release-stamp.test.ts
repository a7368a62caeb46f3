import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RELEASE_METADATA,
  VERSION_METADATA,
} from '../../../../packages/smoke-gate/src/deployments/build-stamp.ts';
import { stampRelease } from '../../../../packages/smoke-gate/src/template/release-stamp.ts';

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
