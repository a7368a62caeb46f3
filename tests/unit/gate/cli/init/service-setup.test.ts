// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless.yml variables, not JS.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../../../../harness/project/project.ts';
import { readServiceSetup } from '../../../../../packages/smoke-gate/src/cli/init/service-setup.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'init-setup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const service = (text: string) => writeFile(join(dir, 'serverless.yml'), text);

describe('readServiceSetup', () => {
  it("reads this repository's service: its name, its tag and its deploy role's default", async () => {
    // Act
    const setup = await readServiceSetup(PROJECT_DIR);
    // Assess
    expect(setup).toMatchObject({
      file: 'serverless.yml',
      service: 'petsage-smoke-test',
      region: undefined,
      tagKey: 'petsage:service',
      bucket: 'petsage-smoke-test-*-serverlessdeploymentbuck*',
      deployRole: 'petsage-smoke-test-deploy',
    });
  });

  it('takes a literal region, a named bucket, a stack tag and a named deploy role', async () => {
    // Prepare
    await service(
      [
        'service: orders',
        'provider:',
        '  name: aws',
        '  region: eu-central-1',
        '  stackTags:',
        '    team: payments',
        '    owner: ${self:service}',
        '  deploymentBucket:',
        '    name: orders-artifacts',
        'custom:',
        '  smokeTest:',
        '    monitoring:',
        '      deployRoleName: ci-orders',
        '    url: !Sub "https://${Api}.example.com/ping"',
      ].join('\n'),
    );
    // Act
    const setup = await readServiceSetup(dir);
    // Assess
    expect(setup).toMatchObject({
      service: 'orders',
      region: 'eu-central-1',
      tagKey: 'owner',
      bucket: 'orders-artifacts',
      deployRole: 'ci-orders',
    });
  });

  it('leaves variables to the framework: a region or role given as ${…} is not read', async () => {
    // Prepare
    await service(
      "service: orders\nprovider:\n  region: ${opt:region, 'us-east-1'}\ncustom:\n  smokeTest:\n    monitoring: { deployRoleName: '${param:role}' }\n",
    );
    // Act
    const setup = await readServiceSetup(dir);
    // Assess
    expect(setup).toMatchObject({
      region: undefined,
      tagKey: undefined,
      deployRole: 'orders-deploy',
    });
  });

  it.each([
    ['service: ${env:NAME}\n', /names its service "\$\{env:NAME\}", which init does not resolve/],
    ['service: [a\n', /^serverless\.yml is not YAML init can read: /],
    ['- a list\n', /^serverless\.yml is not a YAML mapping$/],
  ])('refuses %j in one line', async (text, message) => {
    // Prepare
    await service(text);
    // Act
    const read = readServiceSetup(dir);
    // Assess
    await expect(read).rejects.toThrow(message);
  });

  it('refuses a folder without a serverless.yml in one line', async () => {
    await expect(readServiceSetup(dir)).rejects.toThrow(
      'no serverless.yml here: run init in the service folder, beside its serverless.yml',
    );
  });
});
