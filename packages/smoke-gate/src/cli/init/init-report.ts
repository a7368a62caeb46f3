// What `smoke-gate init` prints: the files it wrote, the records key, and the commands left to
// run (the roles, the key when it was not made, the serverless.yml lines the policies rely on).

import { recordsKeyAlias } from '../../deployments/record-signature.ts';
import { anchorName } from '../../deployments/stage-anchor.ts';
import type { PolicyFile } from './policy-files.ts';
import type { RecordsKeySetup } from './records-key-setup.ts';
import type { PolicyValues } from './role-policies.ts';
import type { ServiceSetup } from './service-setup.ts';

/** One init run, as `--json` prints it. */
export interface InitReport {
  ok: true;
  service: string;
  account: string;
  region: string;
  repository: string;
  files: PolicyFile[];
  /** The key made or found, and the file its pin was written to (null: not written). */
  recordsKey: (RecordsKeySetup & { alias: string; pinnedIn: string | null }) | null;
  missing: string[];
  next: string[];
}

/** The commands that create the roles from the written files, in the order they depend on. */
function roleCommands(values: PolicyValues, dir: string): string[] {
  const file = (name: string) => `file://${dir}/${name}.json`;
  const role = (name: string, trust: string, policy: string) => [
    `aws iam create-role --role-name ${name} --assume-role-policy-document ${file(trust)}`,
    `aws iam put-role-policy --role-name ${name} --policy-name smoke-gate --policy-document ${file(policy)}`,
  ];
  return [
    `aws iam create-policy --policy-name ${values.service}-role-boundary --policy-document ${file('role-boundary-policy')}`,
    ...role(
      `cloudformation-${values.service}`,
      'cloudformation-role-trust-policy',
      'cloudformation-role-policy',
    ),
    ...role(values.deployRole, 'deploy-trust-policy', 'deploy-policy'),
    ...role(values.verifyRole, 'verify-trust-policy', 'verify-policy'),
  ];
}

/** The commands that make the records key when `--run` did not. */
function keyCommands(values: PolicyValues, dir: string): string[] {
  return [
    `# as ${values.keyAdminRole}, the key's one administrator (KMS refuses a policy that locks its creator out):`,
    `aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --policy file://${dir}/records-key-policy.json --description "${values.service}: signs the smoke gate's deployment records" --region ${values.region}`,
    `aws kms create-alias --alias-name ${recordsKeyAlias(values.service)} --target-key-id <key id it printed> --region ${values.region}`,
    `npx smoke-gate init --run --region ${values.region}   # finds it, fills in its id, pins it`,
  ];
}

/** The serverless.yml settings the written policies rely on, when the service lacks them. */
function serviceLines(values: PolicyValues, setup: ServiceSetup): string[] {
  const lines = [
    `provider.iam.deploymentRole: arn:aws:iam::${values.account}:role/cloudformation-${values.service}`,
    `provider.iam.role.permissionsBoundary: arn:aws:iam::${values.account}:policy/${values.service}-role-boundary`,
  ];
  if (setup.tagKey === undefined) {
    lines.unshift(
      `provider.tags: { ${values.tagKey}: \${self:service} }   (the CloudFormation role's API Gateway writes need it)`,
    );
  }
  return lines.map((line) => `in ${setup.file}: ${line}`);
}

/** The steps left after this run, in order. */
export function nextSteps(
  values: PolicyValues,
  setup: ServiceSetup,
  dir: string,
  key: 'pinned' | 'none',
): string[] {
  return [
    ...serviceLines(values, setup),
    ...(key === 'none' ? keyCommands(values, dir) : []),
    ...roleCommands(values, dir),
    `# the stage's anchor, ${anchorName(values.service, '<stage>')}, is written by the first gated deploy (the deploy role's ssm:PutParameter); keep it`,
  ];
}

/** The human report. */
export function initText(report: InitReport): string {
  const files = report.files.map((file) => `  ${file.state.padEnd(11)} ${file.path}`);
  const key = report.recordsKey;
  const keyLine =
    key === null
      ? '  not made (pass --run as its administrator, or run the commands below)'
      : `  ${key.created ? 'created' : 'found'} ${key.alias} -> ${key.pin.arn}${key.pinnedIn === null ? ', not pinned yet' : `, pinned in ${key.pinnedIn}`}`;
  return [
    `Smoke gate init: service ${report.service}, account ${report.account}, region ${report.region}, repository ${report.repository}`,
    'Policies:',
    ...files,
    'Records key:',
    keyLine,
    ...report.missing.map((what) => `Not found: ${what}; its placeholder is in the files`),
    'Next:',
    ...report.next.map((step) => `  ${step}`),
    '',
  ].join('\n');
}
