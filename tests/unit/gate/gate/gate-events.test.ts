import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { gateEvents } from '../../../../packages/smoke-gate/src/gate/announce-verdict.ts';
import {
  gateMessage,
  publishGateEvent,
} from '../../../../packages/smoke-gate/src/gate/gate-events.ts';
import type { VerificationOutcome } from '../../../../packages/smoke-gate/src/verification/run-verification.ts';
import { failedReport } from '../../../helpers/verify-report.ts';

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

const deployment = {
  directory: '1795435900000-2026-11-23T12:11:40.000Z',
  commit: '0123456789abcdef',
  version: '1.0.0',
};
const failed: VerificationOutcome = { exitCode: 1, report: failedReport };
const passed: VerificationOutcome = {
  exitCode: 0,
  report: { ...failedReport, ok: true, verdict: 'verified' },
};
const env = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'o/r',
  GITHUB_RUN_ID: '5',
};

describe('gateEvents', () => {
  it('is one PASS for a verified deploy', () => {
    const events = gateEvents({
      stage: 'prod',
      trigger: 'deploy',
      outcome: passed,
      extra: {},
      deployment,
      env,
    });
    expect(events.map((e) => e.event)).toStrictEqual(['PASS']);
  });

  it('is FAIL then ROLLED BACK for a failed deploy that was rolled back', () => {
    // Act
    const events = gateEvents({
      stage: 'prod',
      trigger: 'deploy',
      outcome: failed,
      extra: {
        rollback: {
          from: deployment.directory,
          to: 'x',
          toVerifiedAt: 't',
          restored: passed.report ?? null,
          error: null,
        },
      },
      deployment,
      env,
    });
    // Assess
    expect(events.map((e) => e.event)).toStrictEqual(['FAIL', 'ROLLED BACK']);
    expect(events[1]).toMatchObject({ rolledBackTo: 'x', restored: { verdict: 'verified' } });
  });

  it('in the traffic mode, tells on-call where the callers are in the FAIL', () => {
    // Act
    const note = 'no caller reached version 8: live still serves version 7.';
    const events = gateEvents({
      stage: 'prod',
      trigger: 'deploy',
      outcome: failed,
      extra: { traffic: note, verdictNote: note },
      deployment,
      env,
    });
    // Assess
    expect(events).toStrictEqual([expect.objectContaining({ event: 'FAIL', reasons: [note] })]);
    expect(gateMessage(events[0] as never).body).toContain(`- ${note}`);
  });

  it('is COULD NOT JUDGE when another deploy took over, even after a PASS', () => {
    const events = gateEvents({
      stage: 'prod',
      trigger: 'deploy',
      outcome: passed,
      extra: {
        exitCode: 2,
        verdictNote: 'could not judge: another deploy took over.',
        superseded: { own: deployment, live: null },
      },
      deployment,
      env,
    });
    expect(events).toStrictEqual([
      expect.objectContaining({
        event: 'COULD NOT JUDGE',
        reasons: ['could not judge: another deploy took over.'],
      }),
    ]);
  });
});

describe('gateMessage', () => {
  it('says stage and verdict in the subject, and the facts in the body and attributes', () => {
    // Act
    const message = gateMessage({
      stage: 'prod',
      event: 'FAIL',
      deployment,
      report: failedReport,
      ci: { server: 'https://github.com', repository: 'o/r', runId: '5' },
    });
    // Assess
    expect(message.subject).toBe('[Smoke gate] prod FAIL');
    expect(message.body).toContain(
      `deployment: ${deployment.directory} (commit 0123456789abcdef, version 1.0.0)`,
    );
    expect(message.body).toContain(`correlation id: ${failedReport.correlationId}`);
    expect(message.body).toContain('- no smoke-test line with correlation_id');
    expect(message.body).toContain('CI run: https://github.com/o/r/actions/runs/5');
    expect(message.attributes).toStrictEqual({
      stage: { DataType: 'String', StringValue: 'prod' },
      verdict: { DataType: 'String', StringValue: 'FAIL' },
      commit: { DataType: 'String', StringValue: '0123456789abcdef' },
    });
  });

  it('escapes what came from outside and keeps the subject SNS-safe', () => {
    // Act
    const message = gateMessage({
      stage: 'pr\u001b[2Jod\u00e9',
      event: 'PASS',
      reasons: ['line\nbreak'],
    });
    // Assess
    expect(message.subject).toMatch(/^[\x20-\x7e]{1,100}$/);
    expect(message.body).not.toContain('\u001b');
    expect(message.body).toContain('- line\\u{a}break');
  });
});

describe('publishGateEvent', () => {
  it('publishes subject, body and attributes to the topic', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: '1' });
    const notices: string[] = [];
    // Act
    const ok = await publishGateEvent({
      aws: {
        region: 'us-east-1',
        base: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
      },
      topicArn: 'arn:aws:sns:us-east-1:1:petsage-smoke-test-prod-AlarmTopic',
      message: gateMessage({ stage: 'prod', event: 'PASS' }),
      log: { notice: (text) => notices.push(text) },
    });
    // Assess
    expect(ok).toBe(true);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toMatchObject({
      Subject: '[Smoke gate] prod PASS',
      MessageAttributes: { verdict: { StringValue: 'PASS' } },
    });
    expect(notices).toStrictEqual([]);
  });

  it('reports a failed publish in one line and never throws', async () => {
    // Prepare
    sns
      .on(PublishCommand)
      .rejects(
        Object.assign(new Error('User is not authorized'), { name: 'AuthorizationErrorException' }),
      );
    const notices: string[] = [];
    // Act
    const ok = await publishGateEvent({
      aws: {
        region: 'us-east-1',
        base: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
      },
      topicArn: 'arn:aws:sns:us-east-1:1:t',
      message: gateMessage({ stage: 'prod', event: 'FAIL' }),
      log: { notice: (text) => notices.push(text) },
    });
    // Assess
    expect(ok).toBe(false);
    expect(notices).toStrictEqual([
      expect.stringMatching(
        /^could not publish the gate event to arn:aws:sns:us-east-1:1:t: AuthorizationErrorException: User is not authorized \(the verdict stands\)$/,
      ),
    ]);
  });
});
