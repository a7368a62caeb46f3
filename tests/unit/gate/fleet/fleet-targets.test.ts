import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANY_TARGETS_DEFAULTS } from '../../../../packages/smoke-gate/src/core/defaults.ts';
import {
  checkTargetRegions,
  readTargetsFile,
  targetsFromFlags,
} from '../../../../packages/smoke-gate/src/fleet/fleet-targets.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-targets-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes a targets file and reads it as the CLI does. */
const read = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return readTargetsFile(path, 'petsage-smoke-test');
};

describe('readTargetsFile', () => {
  it('reads stage entries and url entries, from YAML', async () => {
    // Act
    const targets = await read(
      'fleet.yml',
      [
        'targets:',
        '  - stage: dev',
        '  - { name: prod-eu, stage: prod, region: eu-west-1 }',
        '  - { stage: prod, region: us-east-1, service: other-service }',
        '  - url: https://abc.execute-api.eu-west-1.amazonaws.com/health',
        '    logGroup: /aws/lambda/petsage-smoke-test-x-health',
        '    region: eu-west-1',
      ].join('\n'),
    );
    // Assess
    expect(targets.map((t) => [t.name, t.region])).toStrictEqual([
      ['dev', undefined],
      ['prod-eu', 'eu-west-1'],
      ['other-service-prod us-east-1', 'us-east-1'],
      ['abc.execute-api.eu-west-1.amazonaws.com/health', 'eu-west-1'],
    ]);
    expect(targets[2]?.request).toStrictEqual({ stage: 'prod', service: 'other-service' });
    expect(targets[3]?.request.logGroupName).toBe('/aws/lambda/petsage-smoke-test-x-health');
  });

  it('needs a service for a stage entry when the run names none, saying how to give one', async () => {
    // Prepare
    const path = join(dir, 'no-service.yml');
    await writeFile(path, 'targets:\n  - { stage: dev, service: orders }\n  - stage: prod\n');
    // Act
    const read = readTargetsFile(path, undefined);
    // Assess
    await expect(read).rejects.toThrow(
      /entry 2: names no service: give it service:, pass --service <name>, or run beside the service's serverless.yml$/,
    );
  });

  it('takes url entries and entries with their own service when the run names none', async () => {
    // Prepare
    const path = join(dir, 'own-services.yml');
    await writeFile(
      path,
      'targets:\n  - { stage: dev, service: orders }\n  - { url: "https://x.example/health", logGroup: /aws/lambda/x }\n',
    );
    // Act
    const targets = await readTargetsFile(path, undefined);
    // Assess
    expect(targets.map((t) => t.name)).toStrictEqual(['orders-dev', 'x.example/health']);
  });

  it('reads JSON too', async () => {
    const targets = await read(
      'fleet.json',
      '{"targets": [{"stage": "dev", "region": "eu-west-1"}]}',
    );
    expect(targets.map((t) => t.name)).toStrictEqual(['dev eu-west-1']);
  });

  it.each([
    ['is empty', 'targets: []\n', /has no targets$/],
    ['has no targets list', 'stages: [dev]\n', /unknown key "stages" \(only targets:\)$/],
    ['is not JSON or YAML', 'targets: [\n', /is not JSON or YAML: /],
    ['is a list, not a mapping', '- stage: dev\n', /must be a mapping with a targets: list$/],
    [
      'has an unknown key',
      'targets:\n  - stage: dev\n    regoin: eu-west-1\n',
      /entry 1: unknown key "regoin" \(did you mean region\?\)$/,
    ],
    [
      'has an entry with neither url nor stage',
      'targets:\n  - stage: dev\n  - name: lost\n',
      /entry 2: needs a stage, or a url and a logGroup$/,
    ],
    [
      'has a url without its log group',
      'targets:\n  - url: https://x.example/health\n',
      /entry 1: a url needs its logGroup/,
    ],
    [
      'has both a stage and a url',
      'targets:\n  - { stage: dev, url: "https://x.example/health", logGroup: g }\n',
      /entry 1: give a stage, or a url and a logGroup, not both$/,
    ],
    [
      'uses a name twice',
      'targets:\n  - { name: a, stage: dev }\n  - { name: a, stage: prod }\n',
      /entry 2: name "a" is already entry 1's/,
    ],
    [
      'names one stage twice',
      'targets:\n  - stage: dev\n  - stage: dev\n',
      /entry 2: name "dev" is already entry 1's/,
    ],
    [
      'has a value that is not a string',
      'targets:\n  - { stage: 7 }\n',
      /entry 1: stage must be a non-empty string$/,
    ],
    [
      'has a url with credentials',
      'targets:\n  - { url: "https://u:p@x.example/health", logGroup: g }\n',
      /entry 1: url must not carry credentials/,
    ],
    [
      'has a stage that is not a stage name',
      'targets:\n  - { stage: "dev; rm -rf /" }\n',
      /entry 1: stage "dev; rm -rf \/" is not a stage name$/,
    ],
    ['repeats a key', 'targets:\n  - { stage: dev, stage: prod }\n', /is not JSON or YAML: /],
    [
      'has an entry that is a list',
      'targets:\n  - [dev]\n',
      /entry 1: must be a mapping with a stage/,
    ],
    ['has an entry that is text', 'targets:\n  - dev\n', /entry 1: must be a mapping with a stage/],
    ['has an empty entry', 'targets:\n  - \n', /entry 1: must be a mapping with a stage/],
    [
      'has an empty value',
      'targets:\n  - { stage: "" }\n',
      /entry 1: stage must be a non-empty string$/,
    ],
    [
      'has a key no name is close to',
      'targets:\n  - { stage: dev, zzzzzzzz: 1 }\n',
      /entry 1: unknown key "zzzzzzzz"$/,
    ],
    [
      'has a stage and a log group',
      'targets:\n  - { stage: dev, logGroup: g }\n',
      /entry 1: give a stage, or a url and a logGroup, not both$/,
    ],
    [
      'has a service that is not a service name',
      'targets:\n  - { stage: dev, service: "-x" }\n',
      /entry 1: service "-x" is not a service name$/,
    ],
    ['is one text', '"targets"\n', /must be a mapping with a targets: list$/],
    ['is null', 'null\n', /must be a mapping with a targets: list$/],
    ['has targets that are not a list', 'targets: { stage: dev }\n', /must have a targets: list$/],
  ])('refuses a file that %s, in one line naming the entry', async (_, text, message) => {
    // Act
    const reading = read('bad.yml', text);
    // Assess
    await expect(reading).rejects.toThrow(message);
    const error = await reading.catch((e: Error) => e);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).toContain('targets file "');
  });

  it('refuses more targets than one run verifies', async () => {
    const entries = Array.from(
      { length: MANY_TARGETS_DEFAULTS.maxTargets + 1 },
      (_, i) => `  - stage: s${i}`,
    );
    await expect(read('huge.yml', `targets:\n${entries.join('\n')}\n`)).rejects.toThrow(
      /has 1001 targets; at most 1000 are verified in one run$/,
    );
  });

  it('reads exactly as many targets as one run verifies', async () => {
    const entries = Array.from(
      { length: MANY_TARGETS_DEFAULTS.maxTargets },
      (_, i) => `  - stage: s${i}`,
    );
    await expect(read('max.yml', `targets:\n${entries.join('\n')}\n`)).resolves.toHaveLength(
      MANY_TARGETS_DEFAULTS.maxTargets,
    );
  });

  it('refuses a folder given as the targets file', async () => {
    await expect(readTargetsFile(dir, 'svc')).rejects.toThrow(/targets file ".*" is not a file$/);
  });

  it('refuses a file past its size cap without parsing it', async () => {
    const text = `targets:\n${'#'.repeat(MANY_TARGETS_DEFAULTS.maxTargetsFileBytes)}\n`;
    await expect(read('big.yml', text)).rejects.toThrow(/bytes; at most 1048576 are read$/);
  });

  it('refuses a file that does not exist', async () => {
    await expect(readTargetsFile(join(dir, 'nope.yml'), 'svc')).rejects.toThrow(
      /targets file ".*nope\.yml" does not exist$/,
    );
  });

  it('refuses aliases that would multiply the file (a billion laughs)', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'targets: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    await expect(read('bomb.yml', bomb)).rejects.toThrow(
      /is not JSON or YAML: Excessive alias count/,
    );
  });

  it.each([
    ['brackets', '['.repeat(MANY_TARGETS_DEFAULTS.maxTargetsFileBytes - 1)],
    ['braces in JSON', `{"targets": ${'{"a": '.repeat(50_000)}`],
    ['block sequences', `targets:\n${'- '.repeat(100_000)}x\n`],
    [
      'indentation',
      `targets:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i * 2)}a${i}:`).join('\n')}\n`,
    ],
  ])('refuses a file nested too deep (%s) before parsing it', async (_name, text) => {
    await expect(read('deep.yml', text)).rejects.toThrow(
      /nests deeper than 16 levels; a targets file needs 3$/,
    );
  });

  it('reads brackets, dashes and hashes inside quoted names as text, not nesting', async () => {
    const name = `${'['.repeat(40)} - - - # {{{`;
    const targets = await read('quoted.yml', `targets:\n  - { name: "${name}", stage: dev }\n`);
    expect(targets[0]?.name).toBe(name);
  });

  it('escapes names from the file before they reach a report', async () => {
    const targets = await read(
      'esc.yml',
      'targets:\n  - { name: "evil\\u001b[31m\\u202e", stage: dev }\n',
    );
    expect(targets[0]?.name).toBe('evil\\u{1b}[31m\\u{202e}');
  });
});

describe('targetsFromFlags, one region', () => {
  it('names a target by its stage alone (the run’s own service), with where it came from', () => {
    // Act
    const ours = targetsFromFlags({
      stages: ['dev'],
      regions: ['eu-west-1'],
      service: 'petsage-smoke-test',
    });
    const theirs = targetsFromFlags({ stages: ['dev'], regions: [], service: 'orders' });
    // Assess
    expect(ours).toStrictEqual([
      {
        name: 'dev',
        region: 'eu-west-1',
        request: { stage: 'dev', service: 'petsage-smoke-test' },
        source: '--stage "dev" --region "eu-west-1"',
        access: undefined,
      },
    ]);
    expect(theirs.map((t) => [t.name, t.region, t.source])).toStrictEqual([
      ['dev', undefined, '--stage "dev"'],
    ]);
  });

  it('refuses a stage that is not a stage name', () => {
    expect(() => targetsFromFlags({ stages: ['dev prod'], regions: [], service: 's' })).toThrow(
      '--stage "dev prod" is not a stage name',
    );
  });
});

describe('targetsFromFlags', () => {
  it('makes every stage in every region one target, once each', () => {
    // Act
    const targets = targetsFromFlags({
      stages: ['dev', 'prod', 'dev'],
      regions: ['eu-west-1', 'us-east-1'],
      service: 'petsage-smoke-test',
    });
    // Assess
    expect(targets.map((t) => t.name)).toStrictEqual([
      'dev eu-west-1',
      'dev us-east-1',
      'prod eu-west-1',
      'prod us-east-1',
    ]);
  });
});

describe('checkTargetRegions', () => {
  it('refuses a region typo with "did you mean", naming the entry', async () => {
    const targets = await read('typo.yml', 'targets:\n  - { stage: dev, region: eu-wst-1 }\n');
    await expect(checkTargetRegions(targets, {}, {})).rejects.toThrow(
      /entry 1: unknown region "eu-wst-1" \(did you mean eu-west-1\?\)$/,
    );
  });

  it('refuses a region typo with "did you mean" also with --endpoint-url set', async () => {
    const targets = await read('typo2.yml', 'targets:\n  - { stage: dev, region: eu-wst-1 }\n');
    await expect(
      checkTargetRegions(targets, { endpoint: 'http://127.0.0.1:4566' }, {}),
    ).rejects.toThrow(/entry 1: unknown region "eu-wst-1" \(did you mean eu-west-1\?\)$/);
  });
});
