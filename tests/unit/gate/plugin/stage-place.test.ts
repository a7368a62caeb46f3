import { describe, expect, it } from 'vitest';
import {
  serviceRecordsKey,
  stagePlaceOf,
} from '../../../../packages/smoke-gate/src/plugin/stage-place.ts';
import { devServerless } from '../../../helpers/dev-stage.ts';

describe('stagePlaceOf', () => {
  it('reads the stage’s service, stage, stack, prefix, records key and bucket from the framework', async () => {
    // Act
    const place = stagePlaceOf(devServerless);
    // Assess
    expect({ ...place, bucket: await place.bucket() }).toStrictEqual({
      service: 'petsage-smoke-test',
      stage: 'dev',
      stack: 'petsage-smoke-test-dev',
      deploymentPrefix: 'serverless',
      recordsKey: 'alias/petsage-smoke-test-smoke-records',
      bucket: 'bucket',
    });
  });

  it.each(['getServerlessDeploymentBucketName', 'getDeploymentPrefix', 'getStage'])(
    'refuses, in one line, when the books are opened, a framework without %s',
    async (missing) => {
      // Prepare
      const bare = {
        ...devServerless,
        getProvider: () => ({ ...devServerless.getProvider('aws'), [missing]: undefined }),
      };
      // Act
      const place = stagePlaceOf(bare);
      // Assess
      await expect(place.bucket()).rejects.toThrow(
        /^this framework version exposes no deployment bucket to the plugin$/,
      );
    },
  );
});

describe('serviceRecordsKey', () => {
  const service = (
    smokeTest: Record<string, unknown> | undefined,
    name: string | undefined = 'orders',
  ) =>
    ({
      ...devServerless,
      service: { service: name, custom: smokeTest === undefined ? undefined : { smokeTest } },
    }) as never;

  it('takes the key custom.smokeTest.recordsKey names', () => {
    expect(serviceRecordsKey(service({ recordsKey: 'alias/shared-records' }))).toBe(
      'alias/shared-records',
    );
  });

  it.each([
    ['no custom section', undefined],
    ['no recordsKey', {}],
    ['an empty one', { recordsKey: '' }],
    ['one that is not text', { recordsKey: 7 }],
  ])('falls back to the service’s alias with %s', (_what, smokeTest) => {
    expect(serviceRecordsKey(service(smokeTest))).toBe('alias/orders-smoke-records');
  });

  it('names the default service’s alias when the service has no name', () => {
    const unnamed = { ...devServerless, service: { custom: { smokeTest: {} } } } as never;
    expect(serviceRecordsKey(unnamed)).toBe('alias/petsage-smoke-test-smoke-records');
  });
});
