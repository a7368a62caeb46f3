// The records key, created once per account and region as docs/signed-records.md says (the same
// key spec, usage, policy and alias), against moto. moto keeps the key policy but evaluates none:
// that only the deploy role may sign is held by tests/unit/records-key-policy.test.ts instead.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import {
  publicKeySha256,
  type RecordsKeyPin,
} from '../../packages/smoke-gate/src/deployments/records-key-pin.ts';
import { PROJECT_DIR } from '../project/project.ts';
import { MOTO_ACCOUNT } from './moto.ts';

/**
 * Creates `alias/<service>-smoke-records` (ECC_NIST_P256, SIGN_VERIFY); resolves to its pin (ARN
 * and public key sha256), as `smoke-gate records-key` prints it for serverless.yml.
 */
export async function createRecordsKey(
  aws: {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  },
  service = 'petsage-smoke-test',
): Promise<RecordsKeyPin> {
  const policy = (await readFile(join(PROJECT_DIR, '.github/iam/records-key-policy.json'), 'utf8'))
    .replaceAll('<account-id>', MOTO_ACCOUNT)
    .replaceAll('<records-key-admin-role>', `${service}-records-key-admin`);
  const kms = new KMSClient(aws);
  const created = await kms.send(
    new CreateKeyCommand({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      Policy: policy,
      Description: `${service}: signs the smoke gate's deployment records`,
    }),
  );
  await kms.send(
    new CreateAliasCommand({
      AliasName: `alias/${service}-smoke-records`,
      TargetKeyId: created.KeyMetadata?.KeyId,
    }),
  );
  const { PublicKey } = await kms.send(
    new GetPublicKeyCommand({ KeyId: created.KeyMetadata?.KeyId }),
  );
  kms.destroy();
  return {
    arn: created.KeyMetadata?.Arn ?? '',
    publicKeySha256: publicKeySha256(PublicKey ?? new Uint8Array()),
  };
}
