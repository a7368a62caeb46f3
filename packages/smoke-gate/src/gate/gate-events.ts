import { PublishCommand } from '@aws-sdk/client-sns';
import { awsErrorText, callAws } from '../aws/aws-call.ts';
import type { AwsSettings } from '../aws/aws-clients.ts';
import { snsClientFor } from '../aws/sns-client.ts';
import { createDeadline } from '../core/deadline.ts';
import { GATE_DEFAULTS } from '../core/defaults.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import type { PluginLog } from '../core/framework.ts';
import { PRODUCT } from '../core/product.ts';
import { safeMessage, safeText } from '../core/safe-text.ts';
import { type CiRun, ciRunUrl, type DeploymentIdentity } from '../deployments/deployment-record.ts';
import type { VerifyReport } from '../verification/verify-deployment.ts';

/** What the deploy gate tells the alarm topic. */
export type GateEvent = 'PASS' | 'FAIL' | 'ROLLED BACK' | 'COULD NOT JUDGE';

/** One message for the alarm topic. */
export interface GateMessage {
  subject: string;
  body: string;
  attributes: Record<string, { DataType: 'String'; StringValue: string }>;
}

/** What a gate event says: the verdict, which deployment, and why. */
export interface GateFacts {
  stage: string;
  event: GateEvent;
  deployment?: DeploymentIdentity | undefined;
  report?: VerifyReport | undefined;
  reasons?: string[];
  rolledBackTo?: string | undefined;
  restored?: VerifyReport | null | undefined;
  ci?: CiRun | null;
}

/** SNS subjects are at most 100 printable ASCII characters. */
const subjectText = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);

/**
 * The message: subject `[Smoke gate] <stage> <EVENT>`, a plain-text body (commit, deployment,
 * URL with the query redacted, correlation id, reasons, the restored deployment's verdict, the CI
 * run) and attributes to filter on. Every value from outside is cut and escaped; no secret is in
 * any of them (the report's URL is already redacted).
 */
export function gateMessage(facts: GateFacts): GateMessage {
  const stage = safeText(facts.stage, 60);
  const lines = [`${PRODUCT}, stage ${stage}: ${facts.event}`];
  const d = facts.deployment;
  if (d !== undefined) {
    lines.push(
      `deployment: ${safeText(d.directory)} (commit ${safeText(d.commit ?? 'unknown')}, version ${safeText(d.version ?? 'unknown')})`,
    );
  }
  if (facts.report !== undefined) {
    lines.push(`route: ${facts.report.url}`, `correlation id: ${facts.report.correlationId}`);
  }
  const reasons = [
    ...(facts.reasons ?? []),
    ...(facts.report?.http.problems ?? []),
    ...(facts.report?.log.problems ?? []),
  ].slice(0, 10);
  if (reasons.length > 0) lines.push('reasons:', ...reasons.map((r) => `- ${safeText(r)}`));
  if (facts.rolledBackTo !== undefined) {
    const verdict = facts.restored?.verdict ?? 'not verified';
    lines.push(`rolled back to: ${safeText(facts.rolledBackTo)}, verified again: ${verdict}`);
  }
  if (facts.ci) lines.push(`CI run: ${ciRunUrl(facts.ci)}`);
  const attribute = (value: string) => ({ DataType: 'String' as const, StringValue: value });
  return {
    subject: subjectText(`[${PRODUCT}] ${stage} ${facts.event}`),
    body: lines.join('\n'),
    attributes: {
      stage: attribute(stage),
      verdict: attribute(facts.event),
      ...(d?.commit ? { commit: attribute(safeText(d.commit, 80)) } : {}),
    },
  };
}

/**
 * Publishes one gate event to the stack's alarm topic. A failed publish is reported in one line
 * and never changes the verdict or the exit code.
 */
export async function publishGateEvent(input: {
  aws: AwsSettings;
  topicArn: string;
  message: GateMessage;
  log: PluginLog;
  /** The publish's own bound (default GATE_DEFAULTS.gateEventTimeoutMs). */
  capMs?: number;
}): Promise<boolean> {
  const topic = safeText(input.topicArn);
  try {
    await callAws(
      snsClientFor(input.aws),
      new PublishCommand({
        TopicArn: input.topicArn,
        Subject: input.message.subject,
        Message: input.message.body,
        MessageAttributes: input.message.attributes,
      }),
      {
        what: `publishing the gate event to ${topic}`,
        deadline: createDeadline(Date.now() + (input.capMs ?? GATE_DEFAULTS.gateEventTimeoutMs)),
        explain: (error) =>
          new CouldNotJudgeError(
            `could not publish the gate event to ${topic}: ${awsErrorText(error)}`,
          ),
      },
    );
    return true;
  } catch (error) {
    input.log.notice(`${safeMessage(error, 400)} (the verdict stands)`);
    return false;
  }
}
