// The CLI's start: `--help`, `--version` and usage errors load no AWS client (each costs several
// MB and milliseconds); a command loads the clients it needs when it runs. The compiled bin runs
// as a process with a preload (harness/project/loaded-modules.ts) that lists every module it resolved.
// Its time against `node -e 0` is measured in the bench, not here.
import { describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS_ENV } from '../../harness/aws/moto.ts';
import { freePort } from '../../packages/smoke-gate/src/verification/offline.ts';
import { runCliProcess } from '../helpers/cli.ts';

const awsModules = (modules: string[] | undefined) =>
  (modules ?? []).filter((url) => url.includes('/@aws-sdk/') || url.includes('/@smithy/'));

describe('petsage-smoke start', () => {
  it.each([
    [['--help'], 0],
    [['--version'], 0],
    [['check'], 2],
    [['verify', '--stge', 'dev'], 2],
    [['verify', '--timeout', 'soon', '--url', 'http://127.0.0.1:9/health'], 2],
  ])('loads no AWS module for %j (exit %i)', async (args, exitCode) => {
    // Act
    const run = await runCliProcess(args, {}, { recordModules: true });
    // Assess
    expect(run.code).toBe(exitCode);
    expect(run.modules?.length).toBeGreaterThan(5);
    expect(awsModules(run.modules)).toStrictEqual([]);
  });

  it('loads the clients when a command calls AWS (the recorder sees them)', async () => {
    // Prepare: CloudFormation on a closed port, so the stack read fails at once
    const closed = await freePort();
    // Act
    const run = await runCliProcess(
      [
        'status',
        '--stage',
        'dev',
        '--endpoint-url',
        `http://127.0.0.1:${closed}`,
        '--timeout',
        '30',
      ],
      MOTO_CREDENTIALS_ENV,
      { recordModules: true },
    );
    // Assess
    expect(run.code).toBe(2);
    expect(awsModules(run.modules)).toContainEqual(
      expect.stringContaining('/@aws-sdk/client-cloudformation/'),
    );
  });
});
