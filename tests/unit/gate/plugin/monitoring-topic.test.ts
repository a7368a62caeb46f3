// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS.
import { describe, expect, it } from 'vitest';
import { readContract } from '../../../../packages/smoke-gate/src/core/contract-config.ts';
import { readMonitoring } from '../../../../packages/smoke-gate/src/plugin/monitoring-config.ts';
import { alarmTopic } from '../../../../packages/smoke-gate/src/plugin/monitoring-topic.ts';

const service = (monitoring: Record<string, unknown>, format = 'lambda-text') => {
  const names = { name: 'orders', stage: 'prod' };
  return {
    ...names,
    functionId: 'PingLambdaFunction',
    logGroupId: 'PingLogGroup',
    endpointUrl: 'https://api.example.com/ping',
    boundary: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/b' },
    contract: readContract({ logLine: { format, json: { msg: 'ping_done' } } }, '/ping'),
    monitoring: readMonitoring(monitoring, names) as NonNullable<ReturnType<typeof readMonitoring>>,
  };
};

describe('the generated alarm topic', () => {
  it('let only this stage’s alarms and the named deploy role publish to the topic', () => {
    // Act
    const policy = alarmTopic(service({ deployRoleName: 'orders-ci' })).AlarmTopicPolicy as {
      Properties: { PolicyDocument: { Statement: { Sid: string; Condition: unknown }[] } };
    };
    // Assess
    const text = JSON.stringify(policy.Properties.PolicyDocument);
    expect(text).toContain(':alarm:orders-prod-*');
    expect(text).toContain(':role/orders-ci');
    expect(policy.Properties.PolicyDocument.Statement.map((s) => s.Sid)).toStrictEqual([
      'ThisStagesAlarmsPublish',
      'TheDeployRolePublishesTheGateEvents',
      'NobodyElsePublishesWhateverTheirOwnPolicySays',
    ]);
  });
});
