// What `smoke-gate init` reads of a service's serverless.yml (the one the CLI finds, capped,
// cli/service-name.ts): its name, region, the tag its HTTP API carries with its name, its
// deployment bucket and deploy role. Only literal values are taken (a `${…}` variable is the
// framework's to resolve): the ones a run cannot read come from flags, or the framework's
// defaults, and the report says which.

import { CouldNotJudgeError } from '../../core/errors.ts';
import { isRecord } from '../../core/json.ts';
import { safeMessage, safeText } from '../../core/safe-text.ts';
import { SERVICE_NAME, serviceFile } from '../service-name.ts';

/** An IAM role name. */
export const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The tag key `init` asks a service to put on its resources when it carries none with its name. */
export const DEFAULT_TAG_KEY = 'smoke-gate:service';

/** What the service's serverless.yml says, as far as its policies need it. */
export interface ServiceSetup {
  file: string;
  service: string;
  /** provider.region when literal. */
  region: string | undefined;
  /** The tag key whose value is the service's name (provider.tags or stackTags), if any. */
  tagKey: string | undefined;
  /** provider.deploymentBucket.name when literal, else the framework's pattern. */
  bucket: string;
  /** custom.smokeTest.monitoring.deployRoleName when literal, else `<service>-deploy`. */
  deployRole: string;
}

/** A literal text value (a `${…}` variable is none). */
const literal = (value: unknown): string | undefined =>
  typeof value === 'string' && !value.includes('${') ? value : undefined;

/** The tag key of provider.tags or provider.stackTags whose value names the service. */
function serviceTag(provider: Record<string, unknown>, service: string): string | undefined {
  for (const tags of [provider.tags, provider.stackTags]) {
    if (!isRecord(tags)) continue;
    for (const [key, value] of Object.entries(tags)) {
      if (value === service || value === '${self:service}') return key;
    }
  }
  return undefined;
}

/** Reads the service folder's serverless.yml: one line for a file init cannot read. */
export async function readServiceSetup(dir: string): Promise<ServiceSetup> {
  const found = serviceFile(dir);
  if (found === undefined) {
    throw new CouldNotJudgeError(
      'no serverless.yml here: run init in the service folder, beside its serverless.yml',
    );
  }
  const { name: file, text } = found;
  const { parseDocument } = await import('yaml');
  let document: unknown;
  try {
    // CloudFormation's short tags (!Sub, !Ref) are only warnings: init reads none of them.
    const parsed = parseDocument(text, { uniqueKeys: true, logLevel: 'silent' });
    const [error] = parsed.errors;
    if (error !== undefined) throw error;
    document = parsed.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const first = safeMessage(error, 160).split('\n')[0] ?? '';
    throw new CouldNotJudgeError(`${file} is not YAML init can read: ${first}`);
  }
  if (!isRecord(document)) throw new CouldNotJudgeError(`${file} is not a YAML mapping`);
  const service = literal(document.service);
  if (service === undefined || !SERVICE_NAME.test(service)) {
    throw new CouldNotJudgeError(
      `${file} names its service ${JSON.stringify(safeText(String(document.service), 80))}, which init does not resolve: write it as a plain name`,
    );
  }
  const provider = isRecord(document.provider) ? document.provider : {};
  const bucket = isRecord(provider.deploymentBucket)
    ? literal(provider.deploymentBucket.name)
    : undefined;
  const custom = isRecord(document.custom) ? document.custom : {};
  const smokeTest = isRecord(custom.smokeTest) ? custom.smokeTest : {};
  const monitoring = isRecord(smokeTest.monitoring) ? smokeTest.monitoring : {};
  const deployRole = literal(monitoring.deployRoleName);
  return {
    file,
    service,
    region: literal(provider.region),
    tagKey: serviceTag(provider, service),
    bucket:
      bucket !== undefined && BUCKET_NAME.test(bucket)
        ? bucket
        : `${service.toLowerCase()}-*-serverlessdeploymentbuck*`,
    deployRole:
      deployRole !== undefined && IAM_NAME.test(deployRole) ? deployRole : `${service}-deploy`,
  };
}
