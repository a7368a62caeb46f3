import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  checkAccess,
  checkProfiles,
  roleAccount,
} from '../../../../packages/smoke-gate/src/aws/target-access.ts';
import { readTargetsFile } from '../../../../packages/smoke-gate/src/fleet/fleet-targets.ts';

const ROLE = 'arn:aws:iam::210987654321:role/petsage-verify';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-access-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const targetsFile = async (yaml: string) => {
  const path = join(dir, `t${Math.random().toString(36).slice(2)}.yml`);
  await writeFile(path, yaml);
  return path;
};

describe('a targets file over many accounts', () => {
  it('reads each entry’s role, external id and profile', async () => {
    // Prepare
    const path = await targetsFile(
      [
        'targets:',
        `  - { stage: prod, region: eu-west-1, roleArn: "${ROLE}", externalId: petsage-ci }`,
        '  - { stage: dev, profile: dev-account }',
        '  - { stage: qa }',
      ].join('\n'),
    );
    // Act
    const targets = await readTargetsFile(path, 'petsage-smoke-test');
    // Assess
    expect(targets.map((t) => t.access)).toStrictEqual([
      { roleArn: ROLE, externalId: 'petsage-ci', profile: undefined },
      { roleArn: undefined, externalId: undefined, profile: 'dev-account' },
      undefined,
    ]);
  });

  it.each([
    [
      'a malformed role ARN',
      '{ stage: prod, roleArn: "arn:aws:iam::12345:role/x" }',
      /entry 1: roleArn "arn:aws:iam::12345:role\/x" is not an IAM role ARN/,
    ],
    [
      'a user ARN',
      '{ stage: prod, roleArn: "arn:aws:iam::210987654321:user/bob" }',
      /entry 1: roleArn .* is not an IAM role ARN/,
    ],
    [
      'an external id without a role',
      '{ stage: prod, externalId: abc }',
      /entry 1: externalId goes with a roleArn/,
    ],
    [
      'a profile with a newline',
      '{ stage: prod, profile: "a\\nb" }',
      /entry 1: profile "a\\\\u\{a\}b" is not a profile name/,
    ],
    [
      'a misspelt key',
      '{ stage: prod, rolearn: x }',
      /entry 1: unknown key "rolearn" \(did you mean roleArn\?\)/,
    ],
  ])('refuses %s before any call, naming the entry', async (_what, entry, message) => {
    // Prepare
    const path = await targetsFile(`targets:\n  - ${entry}\n`);
    // Act, Assess
    await expect(readTargetsFile(path, 'petsage-smoke-test')).rejects.toThrow(message);
  });
});

describe('checkAccess', () => {
  it('is nothing to do for a target read with the run’s own credentials', () => {
    expect(checkAccess({}, '--role-arn')).toBeUndefined();
  });

  it('names the account of a role', () => {
    expect(roleAccount(ROLE)).toBe('210987654321');
  });
});

describe('checkProfiles', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('refuses, before any call, a profile no shared config file names, naming the entry', async () => {
    // Prepare: the shared config files of this run: one profile in each.
    const config = join(dir, 'config');
    const credentials = join(dir, 'credentials');
    await writeFile(config, '[profile dev-account]\nregion = eu-west-1\n');
    await writeFile(credentials, '[ops]\naws_access_key_id = x\naws_secret_access_key = y\n');
    vi.stubEnv('AWS_CONFIG_FILE', config);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
    const target = (profile: string, entry: number) => ({
      access: { profile },
      source: `targets file "t.yml", entry ${entry}`,
    });
    // Act, Assess
    await expect(
      checkProfiles([target('dev-account', 1), target('ops', 2)]),
    ).resolves.toBeUndefined();
    await expect(
      checkProfiles([target('dev-account', 1), target('prod-acount', 2)]),
    ).rejects.toThrow(
      /^targets file "t\.yml", entry 2: profile "prod-acount" is in no shared config file/,
    );
  });

  it('reads no file when no target names a profile', async () => {
    await expect(checkProfiles([{ source: '--stage dev' }])).resolves.toBeUndefined();
  });
});
