import { describe, expect, it } from 'vitest';
import { VERIFY_DEFAULTS } from '../../../../packages/smoke-gate/src/core/defaults.ts';
import {
  gateSettings,
  readSmokeSettings,
} from '../../../../packages/smoke-gate/src/gate/smoke-settings.ts';

describe('readSmokeSettings', () => {
  it('verifies and rolls back by default, with the default deadline', () => {
    // Act
    const settings = readSmokeSettings(undefined);
    // Assess
    expect(settings).toStrictEqual({
      verifyAfterDeploy: true,
      timeoutSeconds: VERIFY_DEFAULTS.timeoutSeconds,
      skippedBy: undefined,
      rollbackOnFailure: true,
      rollbackDisabledBy: undefined,
      json: false,
      junitPath: undefined,
      shift: undefined,
      shiftAlarms: [],
    });
  });

  it("reads the traffic mode's shift, --traffic over serverless.yml", () => {
    // Prepare
    const custom = {
      smokeTest: { traffic: { canary: { percent: 20, minutes: 3 }, alarms: ['a'] } },
    };
    // Act
    const configured = readSmokeSettings(custom);
    const once = readSmokeSettings(custom, { traffic: 'linear:25:2' });
    const skipped = readSmokeSettings(custom, { traffic: 'all-at-once' });
    // Assess
    expect(configured).toMatchObject({
      shift: { kind: 'canary', percent: 20, minutes: 3 },
      shiftAlarms: ['a'],
    });
    expect(once.shift).toStrictEqual({ kind: 'linear', percent: 25, everyMinutes: 2 });
    expect(skipped.shift).toStrictEqual({ kind: 'all-at-once' });
  });

  it('reads custom.smokeTest and says which setting turned things off', () => {
    // Act
    const settings = readSmokeSettings({
      smokeTest: { verifyAfterDeploy: false, rollbackOnFailure: false, timeout: 30 },
    });
    // Assess
    expect(settings).toMatchObject({
      verifyAfterDeploy: false,
      skippedBy: 'custom.smokeTest.verifyAfterDeploy is false',
      rollbackOnFailure: false,
      rollbackDisabledBy: 'custom.smokeTest.rollbackOnFailure: false',
      timeoutSeconds: 30,
    });
  });

  it.each([
    ['true', true],
    ['"true" (the framework passes some flags as strings)', 'true'],
  ])('lets the command line win with %s', (_name, value) => {
    // Act
    const settings = readSmokeSettings(
      { smokeTest: { timeout: 30 } },
      { 'skip-smoke': value, 'skip-rollback': value, json: value, timeout: '45', junit: 'r.xml' },
    );
    // Assess
    expect(settings).toMatchObject({
      verifyAfterDeploy: false,
      skippedBy: '--skip-smoke',
      rollbackOnFailure: false,
      rollbackDisabledBy: '--skip-rollback',
      json: true,
      timeoutSeconds: 45,
      junitPath: 'r.xml',
    });
  });

  it.each([
    [
      { smokeTest: { timeout: 0 } },
      {},
      /custom\.smokeTest\.timeout "0" must be a number of seconds from 1 to 3600/,
    ],
    [{}, { timeout: 'soon' }, /--timeout "soon" must be a number/],
  ])('refuses a deadline out of range, naming where it came from', (custom, cli, message) => {
    expect(() => readSmokeSettings(custom, cli)).toThrow(message);
  });
});

describe('gateSettings', () => {
  it('makes a wrong setting the framework’s error, exit 2, in one line', () => {
    // Act
    const read = () => gateSettings({ smokeTest: { timeout: 0 } }, {});
    // Assess
    expect(read).toThrow(/^Smoke test could not run: custom\.smokeTest\.timeout /);
    expect(() => read()).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('reads good settings as readSmokeSettings does', () => {
    expect(gateSettings({ smokeTest: { timeout: 30 } }, {})).toStrictEqual(
      readSmokeSettings({ smokeTest: { timeout: 30 } }, {}),
    );
  });
});
