import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useOwnTmp } from '../../../../packages/smoke-gate/src/plugin/package-tmp.ts';

let service: string;
beforeAll(async () => {
  service = await mkdtemp(join(tmpdir(), 'package-tmp-'));
});
afterAll(async () => {
  if (service) await rm(service, { recursive: true, force: true });
});

describe('useOwnTmp: packaging’s temporary files under the service’s .serverless/', () => {
  it('points os.tmpdir() at a folder of the command’s own, then removes it and restores the variables', async () => {
    // Prepare
    const env: NodeJS.ProcessEnv = { TMPDIR: '/var/tmp-of-the-shell' };
    const own = join(service, '.serverless', `tmp-${process.pid}`);
    // Act
    const end = useOwnTmp(service, env);
    const during = { ...env };
    await writeFile(join(own, 'left-by-a-bundler'), 'zip me');
    end();
    end();
    // Assess
    expect(during).toStrictEqual({ TMPDIR: own, TMP: own, TEMP: own });
    expect(env).toStrictEqual({ TMPDIR: '/var/tmp-of-the-shell' });
    expect(existsSync(own)).toBe(false);
  });

  it('leaves no exit listener behind once ended, however often the command packages', () => {
    // Prepare
    const before = process.listenerCount('exit');
    // Act
    for (let round = 0; round < 20; round++) useOwnTmp(service, {})();
    // Assess
    expect(process.listenerCount('exit')).toBe(before);
  });
});
