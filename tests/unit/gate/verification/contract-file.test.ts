import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../harness/project/project.ts';
import {
  readContractFile,
  serviceContractIn,
} from '../../../../packages/smoke-gate/src/verification/contract-file.ts';
import { PETSAGE_CONTRACT } from '../../../helpers/petsage-contract.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'contract-file-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('readContractFile (--contract, and serverless.yml for --local)', () => {
  it('reads a serverless.yml’s custom.smokeTest, CloudFormation tags and all', async () => {
    expect(await readContractFile(join(PROJECT_DIR, 'serverless.yml'))).toStrictEqual(
      PETSAGE_CONTRACT,
    );
  });

  it('reads the map alone, as JSON', async () => {
    // Prepare
    const file = join(dir, 'contract.json');
    await writeFile(file, JSON.stringify({ path: '/ping', logLine: { correlationKey: 'trace' } }));
    // Act
    const contract = await readContractFile(file);
    // Assess
    expect([contract.path, contract.logLine.correlationKey]).toStrictEqual(['/ping', 'trace']);
  });

  it.each([
    ['missing.yml', undefined, /--contract ".*missing.yml": ENOENT/],
    ['broken.yml', 'a: [1', /is not YAML or JSON: /],
    ['typo.yml', 'custom:\n  smokeTest:\n    reponse: {}\n', /did you mean "response"\?/],
  ])('refuses %s in one line', async (name, text, message) => {
    // Prepare
    const file = join(dir, name);
    if (text !== undefined) await writeFile(file, text);
    // Act
    const read = readContractFile(file);
    // Assess
    await expect(read).rejects.toThrow(message);
    await expect(read).rejects.toThrow(/^[^\n]+$/);
  });
});

describe('serviceContractIn (a bare --url run beside a service)', () => {
  it('reads the custom.smokeTest of the serverless.yml in the folder', async () => {
    expect(await serviceContractIn(PROJECT_DIR)).toStrictEqual(PETSAGE_CONTRACT);
  });

  it('finds none beside a serverless.yml without custom.smokeTest, or no serverless.yml', async () => {
    // Prepare
    await writeFile(join(dir, 'serverless.yml'), 'service: orders\nprovider:\n  name: aws\n');
    // Act, Assess
    expect(await serviceContractIn(dir)).toBeUndefined();
    expect(await serviceContractIn(join(dir, 'nowhere'))).toBeUndefined();
  });

  it('says in one line why a serverless.yml that is not YAML cannot give one', async () => {
    // Prepare
    const broken = join(dir, 'broken');
    await import('node:fs/promises').then((fs) => fs.mkdir(broken));
    await writeFile(join(broken, 'serverless.yml'), 'custom: [unclosed\n');
    // Act, Assess
    await expect(serviceContractIn(broken)).rejects.toThrow(
      /^\.\/serverless\.yml ".*" is not YAML or JSON: /,
    );
  });
});
