import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import { CouldNotJudgeError } from '../../../../packages/smoke-gate/src/core/errors.ts';
import { cloudWatchLogSource } from '../../../../packages/smoke-gate/src/verification/cloudwatch-log-source.ts';
import { smokeLine as contractSmokeLine } from '../../../helpers/contract-fixtures.ts';
import { fakeClock } from '../../../helpers/fake-clock.ts';
import { PETSAGE_CONTRACT } from '../../../helpers/petsage-contract.ts';

const ID = 'smoke-1234';
const logs = mockClient(CloudWatchLogsClient);

const smokeLine = (overrides: Record<string, unknown> = {}) => contractSmokeLine(ID, overrides);

const event = (message: string, stream = '2026/11/22/[$LATEST]abc') => ({
  message,
  logStreamName: stream,
  timestamp: 1_795_316_710_120,
  ingestionTime: 1_795_316_710_900,
});

const makeSource = (clock: ReturnType<typeof fakeClock>) =>
  cloudWatchLogSource({
    client: new CloudWatchLogsClient({ region: 'us-east-1' }),
    logGroupName: '/aws/lambda/petsage-smoke-test-dev-health',
    sleep: clock.sleep,
    now: clock.now,
  });

const search = (clock: ReturnType<typeof fakeClock>, seconds = 30) => ({
  correlationId: ID,
  line: PETSAGE_CONTRACT.logLine,
  startTime: clock.now() - 300_000,
  deadline: createDeadline(clock.now() + seconds * 1000, clock.now),
});

beforeEach(() => {
  logs.reset();
});

describe('cloudWatchLogSource', () => {
  it('follows nextToken through empty pages to the line', async () => {
    // Prepare
    const clock = fakeClock();
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [], nextToken: 't1' })
      .resolvesOnce({ events: [], nextToken: 't2' })
      .resolvesOnce({ events: [event(smokeLine())] });
    const params = search(clock);
    // Act
    const result = await makeSource(clock).findSmokeLine(params);
    // Assess
    expect(result.match?.logStreamName).toBe('2026/11/22/[$LATEST]abc');
    expect(result.polls).toBe(3);
    const calls = logs.commandCalls(FilterLogEventsCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.nextToken)).toStrictEqual([undefined, 't1', 't2']);
    expect(calls[0]).toMatchObject({
      logGroupName: '/aws/lambda/petsage-smoke-test-dev-health',
      filterPattern: `"${ID}"`,
      startTime: params.startTime,
    });
  });

  it('takes only the line in the asked version’s log stream (the traffic mode)', async () => {
    // Prepare
    const clock = fakeClock();
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        event(smokeLine(), '2026/12/07/[7]old'),
        event(smokeLine(), '2026/12/07/[18]not-8'),
        event(smokeLine(), '2026/12/07/[8]new'),
      ],
    });
    const source = cloudWatchLogSource({
      client: new CloudWatchLogsClient({ region: 'us-east-1' }),
      logGroupName: '/aws/lambda/petsage-smoke-test-dev-health',
      sleep: clock.sleep,
      now: clock.now,
      streamVersion: '8',
    });
    // Act
    const result = await source.findSmokeLine(search(clock));
    // Assess
    expect(result.match?.logStreamName).toBe('2026/12/07/[8]new');
    expect(result.rejected).toStrictEqual([
      "a line with the id came from log stream 2026/12/07/[7]old, not version 8's",
      "a line with the id came from log stream 2026/12/07/[18]not-8, not version 8's",
    ]);
  });

  it('keeps polling at most twice a second until the line is ingested', async () => {
    // Prepare
    const clock = fakeClock();
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [] })
      .resolvesOnce({ events: [] })
      .resolvesOnce({ events: [] })
      .resolves({ events: [event(smokeLine())] });
    // Act
    const result = await makeSource(clock).findSmokeLine(search(clock));
    // Assess
    expect(result.match).toBeDefined();
    expect(result.polls).toBe(4);
    expect(clock.sleeps.every((ms) => ms >= 500)).toBe(true);
  });

  it.each([
    ['a START line', `START RequestId: c6af9ac6 Version: $LATEST ${ID}`],
    ['a REPORT line', `REPORT RequestId: c6af9ac6 Duration: 2.1 ms ${ID}`],
    ['broken JSON', `{"correlation_id":"${ID}","event":"smoke_test_executed"`],
    ['another event', smokeLine({ event: 'other_event' })],
    ['an id that extends ours', smokeLine({ correlation_id: `${ID}0` })],
    ['the id only in the message', smokeLine({ correlation_id: 'other', message: ID })],
    ['an ERROR line', smokeLine({ level: 'ERROR' })],
    ['a line without function_request_id', smokeLine({ function_request_id: undefined })],
    ['a JSON array', `["${ID}"]`],
  ])('rejects %s and finds the real line after it', async (_name, decoy) => {
    // Prepare
    const clock = fakeClock();
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [event(decoy)] })
      .resolves({ events: [event(decoy), event(smokeLine(), 'real-stream')] });
    // Act
    const result = await makeSource(clock).findSmokeLine(search(clock));
    // Assess
    expect(result.match?.logStreamName).toBe('real-stream');
    expect(result.rejected.length).toBeGreaterThan(0);
  });

  it('never accepts decoys alone, and gives up at the deadline', async () => {
    // Prepare
    const clock = fakeClock();
    logs.on(FilterLogEventsCommand).resolves({ events: [event(smokeLine({ event: 'other' }))] });
    // Act
    const result = await makeSource(clock).findSmokeLine(search(clock, 10));
    // Assess
    expect(result.match).toBeUndefined();
    expect(result.rejected).toStrictEqual(['line event "other", expected "smoke_test_executed"']);
    expect(result.polls).toBeLessThanOrEqual(21);
    expect(result.polls).toBeGreaterThanOrEqual(15);
  });

  it('backs off on throttling and still finds the line', async () => {
    // Prepare
    const clock = fakeClock();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    logs
      .on(FilterLogEventsCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ events: [event(smokeLine())] });
    // Act
    const result = await makeSource(clock).findSmokeLine(search(clock));
    // Assess
    expect(result.match).toBeDefined();
    // Backoff replaces the 500 ms pacing while throttled, doubling from 1 s.
    expect(clock.sleeps).toStrictEqual([1000, 2000, 4000]);
    expect(result).toMatchObject({ throttled: 3, serviceAnswered: true });
  });

  it('never starts two calls less than 500 ms apart', async () => {
    // Prepare
    const clock = fakeClock();
    const starts: number[] = [];
    logs.on(FilterLogEventsCommand).callsFake(() => {
      starts.push(clock.now());
      return { events: [] };
    });
    // Act
    await makeSource(clock).findSmokeLine(search(clock, 10));
    // Assess
    const gaps = starts.slice(1).map((start, i) => start - (starts[i] as number));
    expect(starts.length).toBeGreaterThan(10);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
  });

  it.each([
    ['a 5xx', Object.assign(new Error('boom'), { name: 'InternalFailure', $fault: 'server' })],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    [
      'an unparseable answer',
      Object.assign(new Error('Unexpected token <'), { name: 'SyntaxError' }),
    ],
  ])('retries %s and still finds the line', async (_name, failure) => {
    // Prepare
    const clock = fakeClock();
    logs
      .on(FilterLogEventsCommand)
      .rejectsOnce(failure)
      .rejectsOnce(failure)
      .resolves({ events: [event(smokeLine())] });
    // Act
    const result = await makeSource(clock).findSmokeLine(search(clock));
    // Assess
    expect(result.match).toBeDefined();
    expect(result.polls).toBe(3);
  });

  it('survives a throttling storm until the deadline without an error', async () => {
    // Prepare
    const clock = fakeClock();
    logs
      .on(FilterLogEventsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    // Act
    const result = await makeSource(clock).findSmokeLine(search(clock, 30));
    // Assess
    expect(result.match).toBeUndefined();
    expect(result.polls).toBeLessThan(10);
    expect(result).toMatchObject({
      serviceAnswered: false,
      lastError: expect.stringMatching(/Throttling/),
    });
    expect(result.throttled).toBe(result.polls);
  });

  it('lists at most 10 rejection reasons and counts the rest', async () => {
    // Prepare: 30 decoys, each with another event name.
    const clock = fakeClock();
    const decoys = Array.from({ length: 30 }, (_, i) => event(smokeLine({ event: `other-${i}` })));
    logs.on(FilterLogEventsCommand).resolves({ events: decoys });
    // Act
    const result = await makeSource(clock).findSmokeLine(search(clock, 1));
    // Assess
    expect(result.rejected).toHaveLength(11);
    expect(result.rejected.at(-1)).toMatch(/and \d+ more rejected line/);
  });

  it.each([
    ['AccessDeniedException', /access denied.*logs:FilterLogEvents/],
    ['ResourceNotFoundException', /not found.*--log-group/],
    ['UnrecognizedClientException', /access denied/],
    ['CredentialsProviderError', /no usable AWS credentials/],
    ['InvalidParameterException', /rejected the request \(InvalidParameterException/],
  ])('turns %s into a configuration error', async (name, message) => {
    // Prepare
    const clock = fakeClock();
    logs.on(FilterLogEventsCommand).rejects(Object.assign(new Error('from AWS'), { name }));
    // Act
    const attempt = makeSource(clock).findSmokeLine(search(clock));
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(CouldNotJudgeError);
    await expect(attempt).rejects.toThrow(message);
  });
});
