// `smoke-gate init`: from the service's serverless.yml and the account, region and repository
// given or found, writes every policy and trust policy the gate needs with the service's own
// names (docs/adopt.md); with --run, also makes the records key and pins it in serverless.yml.

import { checkCallDestination } from '../../aws/aws-clients.ts';
import { kmsClientFor } from '../../aws/kms-client.ts';
import type { Deadline } from '../../core/deadline.ts';
import { CouldNotJudgeError } from '../../core/errors.ts';
import { EXIT_VERIFIED } from '../../core/verdicts.ts';
import { recordsKeyAlias } from '../../deployments/record-signature.ts';
import { awsSettingsOf } from '../flag-values.ts';
import type { Values } from '../flags.ts';
import { type InitReport, initText, nextSteps } from '../init/init-report.ts';
import { initValues } from '../init/init-values.ts';
import { writePolicyFiles } from '../init/policy-files.ts';
import { pinInServiceFile, setUpRecordsKey } from '../init/records-key-setup.ts';
import { policyTemplates, renderPolicies, renderPolicy } from '../init/role-policies.ts';
import { readServiceSetup } from '../init/service-setup.ts';
import { type Out, readOrFail } from '../output.ts';

/** Where the policies go when --out names no folder. */
const DEFAULT_OUT = '.github/iam';

/** The whole run, from the folder `dir`; any problem ends it in one line (exit 2). */
async function init(values: Values, out: Out, deadline: Deadline, dir: string) {
  const { env } = out.io;
  const setup = await readServiceSetup(dir);
  const settings = awsSettingsOf(values, env);
  const region = settings.region ?? setup.region;
  if (region === undefined) {
    throw new CouldNotJudgeError(
      `no region: pass --region (${setup.file} names none init can read, nor does AWS_REGION)`,
    );
  }
  const aws = { ...settings, region };
  await checkCallDestination(aws, env);
  const { policy, missing } = await initValues({ values, env, dir, setup, aws, deadline });
  const outDir = values.out ?? DEFAULT_OUT;
  const templates = await policyTemplates();
  const keyPolicy = renderPolicy(
    'records-key-policy.json',
    templates['records-key-policy.json'] ?? '',
    policy,
  );
  // Without --run nothing is asked of KMS: the key's id stays a placeholder until it is made.
  const key =
    values.run === true
      ? await setUpRecordsKey(kmsClientFor(aws), {
          service: setup.service,
          policy: keyPolicy,
          deadline,
        })
      : undefined;
  const filled = key === undefined ? policy : { ...policy, recordsKeyId: key.keyId };
  if (key === undefined) missing.push("the records key's id (init --run, or the commands below)");
  const files = await writePolicyFiles(
    dir,
    outDir,
    await renderPolicies(filled),
    values.force === true,
  );
  if (key !== undefined && values.run === true) await pinInServiceFile(dir, setup.file, key.pin);
  const report: InitReport = {
    ok: true,
    service: setup.service,
    account: policy.account,
    region,
    repository: policy.repository,
    files,
    recordsKey:
      key === undefined
        ? null
        : { ...key, alias: recordsKeyAlias(setup.service), pinnedIn: setup.file },
    missing,
    next: nextSteps(filled, setup, outDir, key === undefined ? 'none' : 'pinned'),
  };
  return report;
}

/** `smoke-gate init [--run]`: exit 0 with what it wrote and what is left, or 2 and one line. */
export async function runInit(values: Values, out: Out, deadline: Deadline): Promise<number> {
  const done = await readOrFail(out, 'init', () => init(values, out, deadline, process.cwd()));
  if ('code' in done) return done.code;
  out.write(initText(done.report), done.report);
  return EXIT_VERIFIED;
}
