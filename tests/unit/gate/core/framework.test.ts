import { describe, expect, it } from 'vitest';
import { SmokeTestFailedError } from '../../../../packages/smoke-gate/src/core/framework.ts';

describe('SmokeTestFailedError', () => {
  it.each([
    [1, 'Smoke test FAILED'],
    [2, 'Smoke test could not run'],
  ])('carries the exit code %i the command ends with, and its message', (exitCode, message) => {
    // Act
    const error = new SmokeTestFailedError(message, exitCode);
    // Assess
    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, message: error.message, exitCode: error.exitCode }).toStrictEqual({
      name: 'SmokeTestFailedError',
      message,
      exitCode,
    });
  });
});
