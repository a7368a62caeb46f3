import {
  type CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';

/**
 * Creates a stage's alarms as its stack would (the `…-missing` ones on SmokeLines, the others on
 * SmokeFailures) and sets each to OK, as CloudWatch leaves them once evaluated.
 */
export async function putAlarmsInOk(cloudWatch: CloudWatchClient, names: string[]): Promise<void> {
  for (const name of names) {
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'PetSage/SmokeTest',
        MetricName: name.endsWith('missing') ? 'SmokeLines' : 'SmokeFailures',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
      }),
    );
    await cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: name, StateValue: 'OK', StateReason: 'test' }),
    );
  }
}
