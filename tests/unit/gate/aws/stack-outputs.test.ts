import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { describeStackOutputs } from '../../../../packages/smoke-gate/src/aws/stack-outputs.ts';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';

/** A CloudFormation client whose DescribeStacks answers, or fails, as the test says. */
const cloudFormation = (answer: () => Promise<unknown>) =>
  ({ send: answer }) as unknown as CloudFormationClient;

const deadline = () => createDeadline(Date.now() + 10_000);

describe('describeStackOutputs', () => {
  it('reads the stack’s outputs as key to value', async () => {
    // Prepare
    const client = cloudFormation(async () => ({
      Stacks: [
        {
          Outputs: [
            { OutputKey: 'HealthEndpointUrl', OutputValue: 'https://a.example/health' },
            { OutputKey: 'Empty' },
          ],
        },
      ],
    }));
    // Act
    const outputs = await describeStackOutputs(client, 'svc-dev', deadline());
    // Assess
    expect(outputs).toStrictEqual({ HealthEndpointUrl: 'https://a.example/health' });
  });

  it('says a missing stack does not exist in the region it names, with what to check', async () => {
    // Prepare
    const missing = Object.assign(new Error('Stack with id svc-dev does not exist'), {
      name: 'ValidationError',
    });
    // Act
    const read = describeStackOutputs(
      cloudFormation(() => Promise.reject(missing)),
      'svc-dev',
      deadline(),
      { region: 'eu-west-1' },
    );
    // Assess
    await expect(read).rejects.toThrow(
      'stack svc-dev does not exist in region eu-west-1. Check the stage and the region, or deploy the stage first.',
    );
  });

  it('names the region the SDK resolved when the run named none', async () => {
    // Prepare
    const missing = Object.assign(new Error('Stack with id svc-dev does not exist'), {
      name: 'ValidationError',
    });
    const client = {
      send: () => Promise.reject(missing),
      config: { region: async () => 'ap-south-1' },
    } as unknown as CloudFormationClient;
    // Act, Assess
    await expect(describeStackOutputs(client, 'svc-dev', deadline())).rejects.toThrow(
      'stack svc-dev does not exist in region ap-south-1.',
    );
  });

  it('says a stack it could not read was not read, and that nothing was verified', async () => {
    // Prepare
    const down = Object.assign(new Error('Service Unavailable'), {
      name: 'ServiceUnavailable',
      $fault: 'server',
    });
    // Act
    const read = describeStackOutputs(
      cloudFormation(() => Promise.reject(down)),
      'svc-dev',
      deadline(),
    );
    // Assess
    await expect(read).rejects.toThrow(
      /^CloudFormation stack svc-dev: could not be read \(ServiceUnavailable: Service Unavailable\); nothing was verified$/,
    );
  });
});
