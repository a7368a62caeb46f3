import { describe, expect, it } from 'vitest';
import { applyDeployableLogLevel } from '../../../../packages/smoke-gate/src/plugin/log-level.ts';

describe('applyDeployableLogLevel', () => {
  it('normalises the case and sets Lambda application log level to match', () => {
    // Prepare
    const service = { provider: { environment: { POWERTOOLS_LOG_LEVEL: 'debug' } } };
    // Act
    const problem = applyDeployableLogLevel(service);
    // Assess
    expect(problem).toBeUndefined();
    expect(service.provider).toMatchObject({
      environment: { POWERTOOLS_LOG_LEVEL: 'DEBUG' },
      logs: { lambda: { applicationLogLevel: 'DEBUG' } },
    });
  });

  it.each(['WARN', 'error', 'constructor', 'verbose'])(
    'refuses %j in one line naming the setting',
    (level) => {
      // Act
      const problem = applyDeployableLogLevel({
        provider: { environment: { POWERTOOLS_LOG_LEVEL: level } },
      });
      // Assess
      expect(problem).toMatch(new RegExp(`^POWERTOOLS_LOG_LEVEL "${level}" cannot be deployed`));
      expect(problem).not.toContain('\n');
    },
  );
});
