import { describe, expect, it } from 'vitest';
import {
  MAX_INVOKERS,
  parseInvokers,
  TRAFFIC_OUTPUTS,
  trafficStageOf,
} from '../../../../packages/smoke-gate/src/traffic/traffic-stage.ts';

const API = 'arn:aws:execute-api:us-east-1:123456789012:abc123/*';
const RULE = 'arn:aws:events:us-east-1:123456789012:rule/svc-dev-heartbeat';

/** A traffic-mode stack's outputs, as CloudFormation resolves them. */
const outputs = {
  [TRAFFIC_OUTPUTS.functionName]: 'svc-dev-health',
  [TRAFFIC_OUTPUTS.candidateUrl]:
    'https://abc123.execute-api.us-east-1.amazonaws.com/candidate/health',
  [TRAFFIC_OUTPUTS.invokers]: `apigateway.amazonaws.com ${API},events.amazonaws.com ${RULE},`,
};

describe('trafficStageOf', () => {
  it('reads the function, the candidate URL and the invokers from the outputs', () => {
    expect(trafficStageOf(outputs, 'svc-dev')).toStrictEqual({
      functionName: 'svc-dev-health',
      candidateUrl: outputs[TRAFFIC_OUTPUTS.candidateUrl],
      invokers: [
        { principal: 'apigateway.amazonaws.com', sourceArn: API },
        { principal: 'events.amazonaws.com', sourceArn: RULE },
      ],
    });
  });

  it('says a stack without a candidate URL deploys all at once', () => {
    expect(trafficStageOf({ HealthEndpointUrl: 'https://x' }, 'svc-dev')).toBeUndefined();
  });

  it('refuses a function name that is not one, naming the output', () => {
    expect(() =>
      trafficStageOf({ ...outputs, [TRAFFIC_OUTPUTS.functionName]: 'a b' }, 'svc-dev'),
    ).toThrow('stack svc-dev is in the traffic mode but its SmokeGateFunctionName output is "a b"');
  });

  it('takes a stack whose function no one else invokes (no invokers output)', () => {
    const { [TRAFFIC_OUTPUTS.invokers]: _, ...rest } = outputs;
    expect(trafficStageOf(rest, 'svc-dev')?.invokers).toStrictEqual([]);
  });
});

describe('parseInvokers', () => {
  it('takes a principal without a source', () => {
    expect(parseInvokers('events.amazonaws.com', 'o')).toStrictEqual([
      { principal: 'events.amazonaws.com', sourceArn: undefined },
    ]);
  });

  it.each([
    ['a principal that is not a service', 'arn:aws:iam::123456789012:root'],
    ['a source that is not an ARN', 'events.amazonaws.com not-an-arn'],
    ['a third word', `events.amazonaws.com ${RULE} extra`],
  ])('refuses %s, quoting it escaped', (_, entry) => {
    expect(() => parseInvokers(entry, 'output X')).toThrow(
      /^output X holds ".*", not "<service principal> <source ARN>"$/,
    );
  });

  it.each([
    ['a principal with something before it', 'Evil:events.amazonaws.com'],
    ['a principal with something after it', 'events.amazonaws.com.evil'],
    ['a source ARN with something before it', `events.amazonaws.com x${RULE}`],
    ['a source ARN with something after it', `events.amazonaws.com ${RULE} `],
  ])('refuses %s', (_, entry) => {
    expect(() => parseInvokers(entry, 'output X')).toThrow(/^output X holds/);
  });

  it(`takes exactly ${MAX_INVOKERS} invokers`, () => {
    const most = Array.from({ length: MAX_INVOKERS }, () => 'events.amazonaws.com').join(',');
    expect(parseInvokers(most, 'output X')).toHaveLength(MAX_INVOKERS);
  });

  it(`reads at most ${MAX_INVOKERS} invokers`, () => {
    const many = Array.from({ length: MAX_INVOKERS + 1 }, () => 'events.amazonaws.com').join(',');
    expect(() => parseInvokers(many, 'output X')).toThrow(
      `output X names more than ${MAX_INVOKERS} invokers`,
    );
  });
});
