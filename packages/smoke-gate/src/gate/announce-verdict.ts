import type { AwsSettings } from '../aws/aws-clients.ts';
import { createCloudFormationClient } from '../aws/aws-clients.ts';
import { describeStackOutputs } from '../aws/stack-outputs.ts';
import { createDeadline } from '../core/deadline.ts';
import type { PluginLog } from '../core/framework.ts';
import { EXIT_FAILED, EXIT_VERIFIED } from '../core/verdicts.ts';
import { ciRunFrom, type DeploymentIdentity } from '../deployments/deployment-record.ts';
import type { VerificationOutcome } from '../verification/run-verification.ts';
import type { AfterDeployResult } from './after-deploy.ts';
import { type GateFacts, gateMessage, publishGateEvent } from './gate-events.ts';

/** How long finding the alarm topic may take: announcing never holds up the command for long. */
const TOPIC_LOOKUP_MS = 10_000;

/** The gate events of one deploy or rollback, in the order they happened. */
export function gateEvents(input: {
  stage: string;
  trigger: 'deploy' | 'rollback';
  outcome: VerificationOutcome;
  extra: AfterDeployResult;
  deployment: DeploymentIdentity | undefined;
  env: NodeJS.ProcessEnv;
}): GateFacts[] {
  const { outcome, extra } = input;
  const base = {
    stage: input.stage,
    deployment: input.deployment,
    report: outcome.report,
    ci: ciRunFrom(input.env),
  };
  if (input.trigger === 'rollback') {
    return [
      {
        ...base,
        event: 'ROLLED BACK',
        rolledBackTo: input.deployment?.directory,
        restored: outcome.report ?? null,
      },
    ];
  }
  const exitCode = extra.exitCode ?? outcome.exitCode;
  // The traffic mode says where the public route's callers are (no caller reached it, or back on M).
  const reasons = [
    ...(outcome.error === undefined ? [] : [outcome.error]),
    ...(extra.traffic === undefined ? [] : [extra.traffic]),
  ];
  if (extra.superseded !== undefined) {
    return [
      {
        ...base,
        event: 'COULD NOT JUDGE',
        reasons: [extra.verdictNote ?? 'another deploy took over'],
      },
    ];
  }
  if (exitCode === EXIT_VERIFIED) return [{ ...base, event: 'PASS' }];
  if (exitCode !== EXIT_FAILED) return [{ ...base, event: 'COULD NOT JUDGE', reasons }];
  const events: GateFacts[] = [{ ...base, event: 'FAIL', reasons }];
  const rollback = extra.rollback;
  if (rollback !== undefined && rollback.error === null) {
    events.push({
      ...base,
      event: 'ROLLED BACK',
      rolledBackTo: rollback.to,
      restored: rollback.restored,
    });
  }
  return events;
}

/**
 * Publishes the gate's events to the stack's alarm topic (its AlarmTopicArn output, present when
 * alarmEmail or alarmTopicArn is set). No topic: nothing to do. Any failure is one notice; the
 * verdict and the exit code never change.
 */
export async function announceVerdict(input: {
  stack: string;
  aws: AwsSettings;
  log: PluginLog;
  events: GateFacts[];
}): Promise<void> {
  if (input.events.length === 0) return;
  const { stack } = input;
  let topicArn: string | undefined;
  try {
    const outputs = await describeStackOutputs(
      createCloudFormationClient(input.aws),
      stack,
      createDeadline(Date.now() + TOPIC_LOOKUP_MS),
    );
    topicArn = outputs.AlarmTopicArn;
  } catch {
    input.log.notice(
      'could not read the alarm topic from the stack: no gate event published (the verdict stands)',
    );
    return;
  }
  if (topicArn === undefined) return;
  for (const facts of input.events) {
    await publishGateEvent({
      aws: input.aws,
      topicArn,
      message: gateMessage(facts),
      log: input.log,
    });
  }
}
