import { describe, expect, it } from 'vitest';
import { alarmTopic } from '../../../../packages/smoke-gate/src/template/monitoring-topic.ts';
import { monitoredService } from '../../../helpers/monitored-service.ts';

const service = monitoredService;

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
