import { describe, expect, it } from 'vitest';
import {
  serviceRecordsKey,
  stagePlaceOf,
} from '../../../../packages/smoke-gate/src/plugin/stage-place.ts';
import { devServerless } from '../../../helpers/dev-stage.ts';
import { KEY_PIN } from '../../../helpers/records-key.ts';

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
      recordsKey: undefined,
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
  const service = (smokeTest: Record<string, unknown> | undefined) =>
    ({
      ...devServerless,
      service: { service: 'orders', custom: smokeTest === undefined ? undefined : { smokeTest } },
    }) as never;

  it('takes the key custom.smokeTest.recordsKey pins', () => {
    expect(serviceRecordsKey(service({ recordsKey: KEY_PIN }))).toStrictEqual(KEY_PIN);
  });

  it.each([
    ['no custom section', undefined],
    ['no recordsKey', {}],
    ['an alias (no longer a way to name it)', { recordsKey: 'alias/orders-smoke-records' }],
    ['a pin with a malformed fingerprint', { recordsKey: { ...KEY_PIN, publicKeySha256: 'abc' } }],
  ])('pins nothing with %s (a malformed pin is refused at package time)', (_what, smokeTest) => {
    expect(serviceRecordsKey(service(smokeTest))).toBeUndefined();
  });
});
