// The alarm topic for an e-mail, and who may publish to it: this stage's alarms and the deploy
// role (the gate's PASS / FAIL / ROLLED BACK events), nobody else.

import type { MonitoredService } from './monitoring-resources.ts';

/** Only this stage's alarms and the deploy role publish; a deny holds against anyone else. */
function topicStatements(service: MonitoredService): unknown[] {
  const sub = (text: string) => ({ 'Fn::Sub': text });
  const account = (rest: string) => sub(`arn:${'$'}{AWS::Partition}:${rest}`);
  const deployRole = account(
    `iam::${'$'}{AWS::AccountId}:role/${service.monitoring.deployRoleName}`,
  );
  const publish = { Action: 'sns:Publish', Resource: { Ref: 'AlarmTopic' } };
  const alarms = `cloudwatch:${'$'}{AWS::Region}:${'$'}{AWS::AccountId}:alarm:${service.name}-${service.stage}-*`;
  return [
    {
      Sid: 'ThisStagesAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      ...publish,
      Condition: { ArnLike: { 'aws:SourceArn': account(alarms) } },
    },
    {
      Sid: 'TheDeployRolePublishesTheGateEvents',
      Effect: 'Allow',
      Principal: { AWS: account(`iam::${'$'}{AWS::AccountId}:root`) },
      ...publish,
      Condition: { ArnEquals: { 'aws:PrincipalArn': deployRole } },
    },
    {
      Sid: 'NobodyElsePublishesWhateverTheirOwnPolicySays',
      Effect: 'Deny',
      Principal: '*',
      ...publish,
      Condition: {
        StringNotEquals: { 'aws:PrincipalServiceName': 'cloudwatch.amazonaws.com' },
        ArnNotEquals: { 'aws:PrincipalArn': deployRole },
      },
    },
  ];
}

/** The alarm topic for an e-mail, and who may publish to it. */
export function alarmTopic(service: MonitoredService): Record<string, unknown> {
  return {
    AlarmTopic: {
      Type: 'AWS::SNS::Topic',
      Condition: 'CreatesAlarmTopic',
      Properties: {
        DisplayName: `Smoke test ${service.name} ${service.stage}`.slice(0, 100),
        Subscription: [{ Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } }],
      },
    },
    // Nobody else in the account can send the topic's readers a fake PASS or a fake ALARM.
    AlarmTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Condition: 'CreatesAlarmTopic',
      Properties: {
        Topics: [{ Ref: 'AlarmTopic' }],
        PolicyDocument: { Version: '2012-10-17', Statement: topicStatements(service) },
      },
    },
  };
}
