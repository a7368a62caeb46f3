import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  requiredService,
  serviceOf,
} from '../../../../packages/smoke-gate/src/cli/service-name.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'service-name-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A folder holding a serverless.yml with `text`. */
const folder = async (name: string, text: string) => {
  const path = join(dir, name);
  await import('node:fs/promises').then((fs) => fs.mkdir(path));
  await writeFile(join(path, 'serverless.yml'), text);
  return path;
};

describe('serviceOf: the service a run names', () => {
  it('takes --service first', async () => {
    const cwd = await folder('flag', 'service: orders\n');
    expect(serviceOf({ service: 'billing' }, cwd)).toBe('billing');
  });

  it.each([
    ['a plain name', 'service: orders\nprovider:\n  name: aws\n', 'orders'],
    ['a quoted name', "service: 'orders'\n", 'orders'],
    ['a name with a comment', 'service: orders # ours\n', 'orders'],
  ])('reads %s from ./serverless.yml', async (name, text, expected) => {
    const cwd = await folder(name.replaceAll(' ', '-'), text);
    expect(serviceOf({}, cwd)).toBe(expected);
  });

  it('refuses a service the CLI cannot resolve, naming --service', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a serverless.yml variable, not JS.
    const cwd = await folder('variable', 'service: ${env:NAME}\n');
    expect(() => serviceOf({}, cwd)).toThrow(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the value quoted back.
      'serverless.yml names its service "${env:NAME}", which the CLI does not resolve: pass --service <name>',
    );
  });

  it('finds none in a folder without a serverless.yml', () => {
    expect(serviceOf({}, dir)).toBeUndefined();
  });
});

describe('requiredService', () => {
  it('says how to name one when nothing does', () => {
    expect(() => requiredService({}, dir)).toThrow(
      "no service: pass --service <name>, or run beside the service's serverless.yml",
    );
  });
});
