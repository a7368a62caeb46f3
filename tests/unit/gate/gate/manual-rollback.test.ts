import { afterEach, describe, expect, it } from 'vitest';
import { checkManualRollback } from '../../../../packages/smoke-gate/src/gate/manual-rollback.ts';
import { devBucket, GOOD, LIVE } from '../../../helpers/dev-bucket.ts';
import { devFramework } from '../../../helpers/dev-stage.ts';

const { world, reset } = devBucket();
afterEach(reset);

describe('checkManualRollback', () => {
  it('checks the deployment a --commit names in the stage the framework runs, and hands the framework its timestamp', async () => {
    // Prepare
    world(LIVE);
    const cliOptions: Record<string, unknown> = { commit: 'good' };
    const notices: string[] = [];
    // Act
    await checkManualRollback({
      framework: devFramework(),
      cliOptions,
      log: { notice: (text) => notices.push(text) },
    });
    // Assess
    expect(cliOptions.timestamp).toBe(GOOD.split('-')[0]);
    expect(notices).toStrictEqual([
      `Rolling back to ${GOOD}, the newest deployment of commit good.`,
    ]);
  });

  it('in the traffic mode, refuses (exit 2) a stack not deployed in it, changing nothing', async () => {
    // Prepare
    world(LIVE);
    const cliOptions: Record<string, unknown> = { commit: 'good' };
    // Act
    const checked = checkManualRollback({
      framework: { ...devFramework(), custom: { smokeTest: { traffic: true } } },
      cliOptions,
      log: { notice: () => undefined },
      skipStackRollback: () => true,
    });
    // Assess
    await expect(checked).rejects.toMatchObject({ exitCode: 2 });
    await expect(checked).rejects.toThrow(
      /has no SmokeGateCandidateUrl output though custom.smokeTest.traffic is on: deploy it in the traffic mode first; nothing was changed$/,
    );
    expect(cliOptions.timestamp).toBeUndefined();
  });

  it('refuses, exit 2, a deployment the framework’s stage has no passing record for', async () => {
    // Prepare
    world(LIVE);
    // Act
    const checked = checkManualRollback({
      framework: devFramework(),
      cliOptions: { timestamp: LIVE.split('-')[0] },
      log: { notice: () => undefined },
    });
    // Assess
    await expect(checked).rejects.toMatchObject({ exitCode: 2 });
    await expect(checked).rejects.toThrow(/has no record, so nothing proves it passed its gate/);
  });
});
