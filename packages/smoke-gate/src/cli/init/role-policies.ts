// The IAM policies and trust policies a service needs for the gate, rendered from the templates
// the package ships (`iam/*.json`, `{{name}}` placeholders) with the service's own names, region,
// account, repository, tag and bucket. This repository's `.github/iam` is the same render for the
// smoke-test service (tests/unit/gate/cli/init/role-policies.test.ts holds them equal).

import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CouldNotJudgeError } from '../../core/errors.ts';

/** What the templates are filled with. */
export interface PolicyValues {
  service: string;
  region: string;
  account: string;
  /** `owner/repo` of the repository whose GitHub Actions deploy and verify. */
  repository: string;
  /** The deployment bucket's name, or the framework's pattern for it. */
  bucket: string;
  /** The tag key the CloudFormation role's API Gateway writes are conditioned on. */
  tagKey: string;
  deployRole: string;
  verifyRole: string;
  keyAdminRole: string;
  /** The records key's id (a UUID) once it exists. */
  recordsKeyId: string;
  /** The account the CI verify role is in, which member accounts' verify roles trust. */
  ciAccount: string;
  externalId: string;
}

/** The folder of the templates: `iam/` at the package's root, beside `src/` and `dist/`. */
const TEMPLATES = fileURLToPath(new URL('../../../iam/', import.meta.url));

/** Every template, by its file name. */
export async function policyTemplates(): Promise<Record<string, string>> {
  const files = (await readdir(TEMPLATES)).filter((file) => file.endsWith('.json')).sort();
  return Object.fromEntries(
    await Promise.all(
      files.map(async (file) => [file, await readFile(`${TEMPLATES}${file}`, 'utf8')] as const),
    ),
  );
}

/**
 * One template filled in: every `{{name}}` replaced by its value; an unknown name, or a result
 * that is not JSON, is refused (the values are checked before they get here).
 */
export function renderPolicy(file: string, template: string, values: PolicyValues): string {
  const rendered = template.replace(/\{\{(\w+)\}\}/g, (_whole, name: string) => {
    if (!Object.hasOwn(values, name)) {
      throw new CouldNotJudgeError(`iam/${file}: unknown placeholder {{${name}}}`);
    }
    return values[name as keyof PolicyValues];
  });
  JSON.parse(rendered);
  return rendered;
}

/** Every policy rendered, by file name. */
export async function renderPolicies(values: PolicyValues): Promise<Record<string, string>> {
  const templates = await policyTemplates();
  return Object.fromEntries(
    Object.entries(templates).map(([file, template]) => [
      file,
      renderPolicy(file, template, values),
    ]),
  );
}

/** The values this repository's own `.github/iam` is rendered with (placeholders for the rest). */
export const PLACEHOLDER_VALUES = {
  account: '<account-id>',
  repository: 'OWNER/REPO',
  keyAdminRole: '<records-key-admin-role>',
  recordsKeyId: '<records-key-id>',
  ciAccount: '<ci-account-id>',
  externalId: '<external-id>',
} as const;
