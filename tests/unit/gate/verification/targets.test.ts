import { describe, expect, it } from 'vitest';
import { stackName } from '../../../../packages/smoke-gate/src/aws/stack-outputs.ts';
import { CouldNotJudgeError } from '../../../../packages/smoke-gate/src/core/errors.ts';
import {
  checkLogGroupName,
  checkTargetRequest,
  parseRouteUrl,
} from '../../../../packages/smoke-gate/src/verification/targets.ts';

describe('parseRouteUrl', () => {
  it('normalises an http(s) URL', () => {
    expect(parseRouteUrl('https://abc.example/health', '--url')).toBe('https://abc.example/health');
  });

  it.each([
    ['not a url', /--url "not a url" is not a valid URL/],
    ['ftp://h/health', /--url must be an http:\/\/ or https:\/\/ URL/],
  ])('refuses %s', (value, message) => {
    expect(() => parseRouteUrl(value, '--url')).toThrow(message);
  });

  it('refuses credentials in the route URL without echoing them', () => {
    // Act
    const act = () => parseRouteUrl('https://me:s3cret@h/health', '--url');
    // Assess
    expect(act).toThrow(/--url must not carry credentials .*the health route is public/);
    expect(act).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });

  it('tells an endpoint URL with credentials where AWS credentials come from instead', () => {
    expect(() => parseRouteUrl('http://k:s@127.0.0.1:5000', '--endpoint-url', 'endpoint')).toThrow(
      /--endpoint-url must not carry credentials .*--profile or the SDK chain/,
    );
  });
});

describe('checkLogGroupName', () => {
  it('accepts CloudWatch names and refuses others, escaped', () => {
    expect(checkLogGroupName('/aws/lambda/x-dev_1.#', '--log-group')).toBe('/aws/lambda/x-dev_1.#');
    expect(() => checkLogGroupName('bad name\u202e', '--log-group')).toThrow(
      /--log-group "bad name\\\\u\{202e\}" is not a valid log group name/,
    );
  });
});

describe('checkTargetRequest', () => {
  it.each([
    [{}, /no endpoint: pass --url <url>, --stage <stage> or --local/],
    [{ url: 'https://h/health' }, /no log group: pass --log-group <name> or --stage <stage>/],
  ])('says what is missing when there is no stage: %j', (request, message) => {
    expect(() => checkTargetRequest({ service: 's', ...request })).toThrow(message);
  });

  it('lets a stage fill in what is not given', () => {
    expect(checkTargetRequest({ service: 's', stage: 'dev' })).toStrictEqual({
      service: 's',
      stage: 'dev',
      url: undefined,
      logGroupName: undefined,
    });
  });

  it('throws CouldNotJudgeError (exit 2), never a verdict', () => {
    expect(() => checkTargetRequest({ service: 's', url: 'x', logGroupName: 'g' })).toThrow(
      CouldNotJudgeError,
    );
  });
});

describe('stack names', () => {
  it('follow the framework: <service>-<stage>', () => {
    expect(stackName('petsage-smoke-test', 'prod')).toBe('petsage-smoke-test-prod');
  });
});
