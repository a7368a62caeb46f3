import { describe, expect, it } from 'vitest';
import { SmokeTestFailedError } from '../../../../packages/smoke-gate/src/core/framework.ts';
import {
  deployedNotVerified,
  nextSteps,
} from '../../../../packages/smoke-gate/src/gate/gate-crash.ts';

const deployed = { stack: 'orders-prod', stage: 'prod', region: 'eu-west-1', service: 'orders' };

describe('deployedNotVerified: the gate broke after the stack deployed', () => {
  it('says the stack is deployed, live and not verified, with the way out, exit 2', () => {
    // Act
    const error = deployedNotVerified(
      new TypeError('provider.getAwsSdkV3Config is not a function'),
      deployed,
    );
    // Assess
    expect(error).toBeInstanceOf(SmokeTestFailedError);
    expect(error.exitCode).toBe(2);
    expect(error.message.split('\n')).toStrictEqual([
      'Smoke test could not run after the stack deployed: provider.getAwsSdkV3Config is not a function',
      'Stack orders-prod IS deployed: its new deployment is live and NOT verified (nothing was recorded or rolled back).',
      '  verify it now:       npx serverless smoke --stage prod --region eu-west-1',
      '  see the deployments: npx smoke-gate history --service orders --stage prod --region eu-west-1',
      '  go back:             npx serverless rollback --stage prod --region eu-west-1 --commit <a verified commit from history>',
    ]);
  });

  it('keeps the cause to one escaped line', () => {
    // Act
    const error = deployedNotVerified(new Error('first\u001b[2J line\nsecond line'), {
      ...deployed,
      region: undefined,
    });
    // Assess
    const [first] = error.message.split('\n');
    expect(first).toBe('Smoke test could not run after the stack deployed: first\\u{1b}[2J line');
    expect(error.message).not.toContain('second line');
  });
});

describe('the recovery commands', () => {
  it('each start with npx, so they run in a new terminal of the service', () => {
    const steps = nextSteps({
      stack: 'orders-prod',
      service: 'orders',
      stage: 'prod',
      region: undefined,
    });
    expect(steps.map((step) => step.command.split(' ')[0])).toStrictEqual(['npx', 'npx', 'npx']);
  });
});
