import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_DIR } from './project.ts';
import { serviceCopy } from './project-copy.ts';

const run = promisify(execFile);

/** The commit the repository's own bundle would carry (esbuild.config.cjs reads git). */
const { resolveReleaseId } = createRequire(import.meta.url)('../../esbuild.config.cjs') as {
  resolveReleaseId: () => string;
};

/** A CloudFormation resource as `serverless package` writes it. */
export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: unknown;
}

/** The packaged template. */
export interface Template {
  Resources: Record<string, TemplateResource>;
  Outputs: Record<string, { Value: unknown; Description?: string }>;
}

/** What `serverless package` produced: the template, the zip and the zip unpacked. */
export interface PackagedService {
  dir: string;
  template: Template;
  zipPath: string;
  /** The unzipped health.zip: LAMBDA_TASK_ROOT. */
  taskRoot: string;
  zipEntries: string[];
}

/** The project's own osls, as `npx serverless` runs it. */
export const SERVERLESS_BIN = join(
  PROJECT_DIR,
  'node_modules',
  'serverless',
  'bin',
  'serverless.js',
);

/**
 * Runs `serverless package --stage <stage> --package <dir>` without AWS credentials and unzips
 * health.zip into `<dir>/task`. It packages a copy of the service made for this call (removed
 * after), so packaging never shares a build folder with another suite running beside it; the
 * bundle carries the repository's commit, as a package run in the repository would.
 */
export async function packageService(
  dir: string,
  stage: string,
  options: { env?: NodeJS.ProcessEnv; args?: string[] } = {},
): Promise<PackagedService> {
  const env = {
    ...process.env,
    AWS_PROFILE: '',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    RELEASE_ID: process.env.RELEASE_ID || resolveReleaseId(),
    ...options.env,
  };
  const service = await serviceCopy();
  try {
    await run(
      process.execPath,
      [SERVERLESS_BIN, 'package', '--stage', stage, '--package', dir, ...(options.args ?? [])],
      { cwd: service.dir, env },
    );
  } finally {
    await service.remove();
  }
  const template = JSON.parse(
    await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  const zipPath = join(dir, 'health.zip');
  const taskRoot = join(dir, 'task');
  const zipEntries = await unzip(zipPath, taskRoot);
  return { dir, template, zipPath, taskRoot, zipEntries };
}

/** Extracts a zip with Python's zipfile (no unzip binary needed); resolves to its entry names. */
export async function unzip(zipPath: string, into: string): Promise<string[]> {
  const { stdout } = await run('python3', [
    '-c',
    'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); z.extractall(sys.argv[2]); print("\\n".join(z.namelist()))',
    zipPath,
    into,
  ]);
  return stdout.split('\n').filter((line) => line !== '');
}

/** The template's resources of one type, as [logicalId, resource] pairs. */
export const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** The one Lambda function of the template. */
export function healthFunction(template: Template): TemplateResource {
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  const [, fn] = functions[0] ?? [];
  if (functions.length !== 1 || fn === undefined) {
    throw new Error(`expected one AWS::Lambda::Function, found ${functions.length}`);
  }
  return fn;
}
