import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../../packages/smoke-gate/src/cli/cli.ts';
import { KEY_PIN, mockRecordsKey } from '../../../../helpers/records-key.ts';

const { kms, answer } = mockRecordsKey();
afterEach(() => {
  kms.reset();
  answer();
});

/** `petsage-smoke records-key …` with credentials in the environment: exit code and output. */
const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' },
  };
  const code = await runCli(['records-key', '--region', 'us-east-1', ...args], io);
  return { code, stdout: out.join(''), stderr: err.join('') };
};

describe('petsage-smoke records-key', () => {
  it('finds the service’s key by its alias once and prints its pin for serverless.yml', async () => {
    // Act
    const { code, stdout } = await run(['--service', 'orders']);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe(
      `custom:\n  smokeTest:\n    recordsKey:\n      arn: ${KEY_PIN.arn}\n      publicKeySha256: ${KEY_PIN.publicKeySha256}\n`,
    );
    expect(kms.commandCalls(GetPublicKeyCommand).map((c) => c.args[0].input)).toStrictEqual([
      { KeyId: 'alias/orders-smoke-records' },
    ]);
  });

  it('prints the pin as one JSON object with --json', async () => {
    // Act
    const { code, stdout } = await run(['--json']);
    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toStrictEqual(KEY_PIN);
  });

  it('says in one line why there is no key to pin, exit 2', async () => {
    // Prepare
    kms
      .on(GetPublicKeyCommand)
      .rejects(Object.assign(new Error('Alias is not found.'), { name: 'NotFoundException' }));
    // Act
    const { code, stdout, stderr } = await run([]);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^smoke-gate: records key alias\/petsage-smoke-test-smoke-records could not be read: .*\n$/,
    );
  });
});
