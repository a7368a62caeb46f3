// Every AWS call the gate package makes, read from its source, against the permissions table in
// docs/use-the-gate.md#permissions and the roles' policies in .github/iam: a call added to the
// package without its permission fails here, not in a user's pipeline. No stand-in evaluates IAM
// (moto enforces no policy), so the policies are held by reading them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { USAGE, VERIFY_ROLE_ACTIONS } from '../../packages/smoke-gate/src/cli/usage.ts';

/** The IAM actions each SDK command needs (AWS's service authorization reference). */
const COMMAND_ACTIONS: Record<string, string[]> = {
  AddPermission: ['lambda:AddPermission'],
  AssumeRole: ['sts:AssumeRole'],
  // Lambda's alias (the traffic mode) and KMS's (init --run names the records key): one name.
  CreateAlias: ['lambda:CreateAlias', 'kms:CreateAlias'],
  CreateKey: ['kms:CreateKey'],
  DeleteAlias: ['lambda:DeleteAlias'],
  DescribeAlarms: ['cloudwatch:DescribeAlarms'],
  DescribeKey: ['kms:DescribeKey'],
  DescribeStacks: ['cloudformation:DescribeStacks'],
  FilterLogEvents: ['logs:FilterLogEvents'],
  // Needs no permission: STS answers it for any credentials.
  GetCallerIdentity: [],
  // With a VersionId, GetObject is authorized as s3:GetObjectVersion.
  GetObject: ['s3:GetObject', 's3:GetObjectVersion'],
  GetAlias: ['lambda:GetAlias'],
  GetFunctionConfiguration: ['lambda:GetFunctionConfiguration'],
  GetMetricStatistics: ['cloudwatch:GetMetricStatistics'],
  GetParameter: ['ssm:GetParameter'],
  GetPolicy: ['lambda:GetPolicy'],
  GetPublicKey: ['kms:GetPublicKey'],
  GetTemplate: ['cloudformation:GetTemplate'],
  ListObjectsV2: ['s3:ListBucket'],
  ListObjectVersions: ['s3:ListBucketVersions'],
  Publish: ['sns:Publish'],
  PublishVersion: ['lambda:PublishVersion'],
  PutObject: ['s3:PutObject'],
  PutParameter: ['ssm:PutParameter'],
  Sign: ['kms:Sign'],
  UpdateAlias: ['lambda:UpdateAlias'],
};

const SRC = join(PROJECT_DIR, 'packages/smoke-gate/src');

/** Every SDK command the package's source sends (`new <Name>Command(`). */
const commandsInSource = (): string[] => {
  const names = new Set<string>();
  for (const file of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    for (const match of readFileSync(join(SRC, file), 'utf8').matchAll(/new (\w+)Command\(/g)) {
      names.add(match[1] as string);
    }
  }
  return [...names].sort();
};

/** The docs' permissions table: action -> which roles need it. */
const docsTable = (): Map<string, { deploy: boolean; verify: boolean }> => {
  const docs = readFileSync(join(PROJECT_DIR, 'docs/use-the-gate.md'), 'utf8');
  const section = docs.split('## Permissions')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map<string, { deploy: boolean; verify: boolean }>();
  for (const [, action, deploy, verify] of section.matchAll(
    /^\| `([\w:]+)` \| (yes|no) \| (yes|no) \|/gm,
  )) {
    rows.set(action as string, { deploy: deploy === 'yes', verify: verify === 'yes' });
  }
  return rows;
};

/** The actions a policy file allows. */
const allowed = (file: string): Set<string> => {
  const policy = JSON.parse(readFileSync(join(PROJECT_DIR, '.github/iam', file), 'utf8')) as {
    Statement: { Effect: string; Action: string | string[] }[];
  };
  return new Set(
    policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()),
  );
};

/** The actions of `needed` that `policy` does not allow, each with the role's name. */
const missingFrom = (role: string, policy: Set<string>, needed: string[]) =>
  needed.filter((action) => !policy.has(action)).map((action) => `${role}: ${action}`);

const tableActions = (pick: (row: { deploy: boolean; verify: boolean }) => boolean) =>
  [...docsTable()].filter(([, row]) => pick(row)).map(([action]) => action);

describe('the permissions of every AWS call the gate makes', () => {
  it('knows the actions of every command the package sends', () => {
    // Act
    const unknown = commandsInSource().filter((command) => !(command in COMMAND_ACTIONS));
    // Assess
    expect(commandsInSource()).toContain('FilterLogEvents');
    expect(unknown, 'add it to COMMAND_ACTIONS, the docs table and the policies').toStrictEqual([]);
  });

  it('lists exactly those actions in the docs table, no more', () => {
    // Prepare
    const needed = new Set(commandsInSource().flatMap((command) => COMMAND_ACTIONS[command] ?? []));
    // Act
    const listed = new Set(docsTable().keys());
    // Assess
    expect([...listed].sort()).toStrictEqual([...needed].sort());
  });

  it('gives each role, in its policy, what the table says it needs', () => {
    // Act
    const missing = [
      ...missingFrom(
        'deploy role',
        allowed('deploy-policy.json'),
        tableActions((r) => r.deploy),
      ),
      ...missingFrom(
        'verify role',
        allowed('verify-policy.json'),
        tableActions((r) => r.verify),
      ),
      // A member account's role reads; it assumes nothing further.
      ...missingFrom(
        'member verify role',
        allowed('member-verify-policy.json'),
        tableActions((r) => r.verify).filter((action) => action !== 'sts:AssumeRole'),
      ),
    ];
    // Assess
    expect(missing).toStrictEqual([]);
  });

  it('gives the verify roles nothing that writes or signs', () => {
    // Prepare
    const writes = tableActions((r) => r.deploy && !r.verify);
    // Act
    const granted = [...allowed('verify-policy.json'), ...allowed('member-verify-policy.json')];
    // Assess
    expect(writes).toStrictEqual([
      's3:PutObject',
      'kms:Sign',
      'ssm:PutParameter',
      'sns:Publish',
      'lambda:PublishVersion',
      'lambda:CreateAlias',
      'lambda:UpdateAlias',
      'lambda:DeleteAlias',
      // A read the verify roles have no use for: only the traffic mode's moves need it.
      'lambda:GetPolicy',
      'lambda:AddPermission',
      // A read only a shift's bake makes (the new version's errors).
      'cloudwatch:GetMetricStatistics',
    ]);
    expect(granted.filter((action) => writes.includes(action))).toStrictEqual([]);
  });

  it('names in the CLI’s help exactly the actions the table gives the verify role', () => {
    // Act
    const help = new Set(USAGE.split('IAM permissions')[1]?.match(/[a-z0-9]+:[A-Za-z]+/g) ?? []);
    // Assess
    expect([...VERIFY_ROLE_ACTIONS].sort()).toStrictEqual(tableActions((r) => r.verify).sort());
    expect([...help].sort()).toStrictEqual([...VERIFY_ROLE_ACTIONS].sort());
  });

  it('would name an action a policy lacks (the check can fail)', () => {
    expect(
      missingFrom('verify role', new Set(['logs:FilterLogEvents']), [
        'logs:FilterLogEvents',
        'cloudformation:GetTemplate',
      ]),
    ).toStrictEqual(['verify role: cloudformation:GetTemplate']);
  });
});
