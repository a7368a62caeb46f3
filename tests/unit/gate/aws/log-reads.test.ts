import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogCallBudget } from '../../../../packages/smoke-gate/src/aws/log-call-budget.ts';
import {
  createLogCallPacer,
  filterLogEventsOnce,
} from '../../../../packages/smoke-gate/src/aws/log-reads.ts';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { CouldNotJudgeError } from '../../../../packages/smoke-gate/src/core/errors.ts';
import { fakeClock } from '../../../helpers/fake-clock.ts';

const logs = mockClient(CloudWatchLogsClient);
afterEach(() => logs.reset());

/** One FilterLogEvents call on the dev stage's group, with a minute to spare. */
async function filterOnce(deadline = createDeadline(Date.now() + 60_000)) {
  let settled = 0;
  const call = await filterLogEventsOnce(
    new CloudWatchLogsClient({ region: 'us-east-1' }),
    { logGroupName: '/aws/lambda/petsage-smoke-test-dev-health', filterPattern: '"id"' },
    {
      what: 'CloudWatch Logs group /aws/lambda/petsage-smoke-test-dev-health',
      deadline,
      region: 'us-east-1',
      onSettled: () => settled++,
    },
  );
  return { call, settled };
}

describe('filterLogEventsOnce', () => {
  it('hands back the page, and says the call has ended', async () => {
    // Prepare
    logs.on(FilterLogEventsCommand).resolves({ events: [{ message: 'a line' }] });
    // Act
    const { call, settled } = await filterOnce();
    // Assess
    expect(call).toMatchObject({ page: { events: [{ message: 'a line' }] } });
    expect(settled).toBe(1);
  });

  it('hands back throttling with AWS’s own words, for the caller’s pacing to retry', async () => {
    // Prepare
    logs
      .on(FilterLogEventsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // Act
    const { call, settled } = await filterOnce();
    // Assess
    expect(call).toStrictEqual({ retry: 'throttled', error: 'ThrottlingException: Rate exceeded' });
    expect(settled).toBe(1);
  });

  it('calls a call its own deadline cut transient, saying so', async () => {
    // Prepare
    logs.on(FilterLogEventsCommand).callsFake(() => new Promise(() => undefined));
    // Act
    const { call } = await filterOnce(createDeadline(Date.now() + 20));
    // Assess
    expect(call).toStrictEqual({ retry: 'transient', error: 'cut by the deadline' });
  });

  it('throws what a user must fix as one line, naming the call', async () => {
    // Prepare
    logs
      .on(FilterLogEventsCommand)
      .rejects(Object.assign(new Error('no such group'), { name: 'ResourceNotFoundException' }));
    // Act
    const call = filterOnce();
    // Assess
    await expect(call).rejects.toBeInstanceOf(CouldNotJudgeError);
    await expect(call).rejects.toThrow(
      /^CloudWatch Logs group \/aws\/lambda\/petsage-smoke-test-dev-health: not found\./,
    );
  });
});

describe('createLogCallPacer with a region budget', () => {
  it('keeps one target at its own pace and waits for the region as well', async () => {
    // Prepare
    const clock = fakeClock();
    const budget = createLogCallBudget({ ratePerSecond: 1, now: clock.now, sleep: clock.sleep });
    const pacer = createLogCallPacer({ budget, now: clock.now, sleep: clock.sleep });
    const deadline = clock.now() + 60_000;
    const calls: number[] = [];
    // Act
    for (let call = 0; call < 3; call++) {
      if (!(await pacer.next(deadline))) break;
      calls.push(clock.now());
      pacer.settled();
    }
    // Assess
    const start = calls[0] ?? 0;
    expect(calls.map((at) => at - start)).toStrictEqual([0, 1000, 2000]);
  });
});
