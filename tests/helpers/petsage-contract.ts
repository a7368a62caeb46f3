// This service's contract as the gate reads it: serverless.yml's custom.smokeTest, through the
// gate's own reader (the monitoring's ${param:...} values are not read by it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import {
  contractConfig,
  readContract,
} from '../../packages/smoke-gate/src/core/contract-config.ts';
import {
  readFailureLine,
  readRouteLine,
  watchedLinesConfig,
} from '../../packages/smoke-gate/src/core/watched-lines.ts';

/** serverless.yml's custom.smokeTest, CloudFormation tags read as plain values. */
export const petsageSmokeTest = (): Record<string, unknown> => {
  const config = parse(readFileSync(join(PROJECT_DIR, 'serverless.yml'), 'utf8'), {
    logLevel: 'silent',
  });
  return config.custom.smokeTest;
};

/** The contract the gate holds this service's function to. */
export const PETSAGE_CONTRACT = readContract(petsageSmokeTest());

/**
 * What the plugin stores of this service in its stack's template (Metadata): its contract and the
 * lines `status` tells apart (through the route, failures), for suites that make stacks by hand.
 */
export const PETSAGE_GATE_METADATA = (() => {
  const { monitoring } = petsageSmokeTest() as { monitoring: Record<string, unknown> };
  return {
    SmokeGate: {
      Contract: contractConfig(PETSAGE_CONTRACT),
      WatchedLines: watchedLinesConfig(
        readRouteLine(monitoring.routeLine),
        readFailureLine(monitoring.failureLine),
      ),
    },
  };
})();
