// This service's contract as the gate reads it: serverless.yml's custom.smokeTest, through the
// gate's own reader (the monitoring's ${param:...} values are not read by it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import { readContract } from '../../packages/smoke-gate/src/core/contract-config.ts';

/** serverless.yml's custom.smokeTest, CloudFormation tags read as plain values. */
export const petsageSmokeTest = (): Record<string, unknown> => {
  const config = parse(readFileSync(join(PROJECT_DIR, 'serverless.yml'), 'utf8'), {
    logLevel: 'silent',
  });
  return config.custom.smokeTest;
};

/** The contract the gate holds this service's function to. */
export const PETSAGE_CONTRACT = readContract(petsageSmokeTest());
