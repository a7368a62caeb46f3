import { buildReleaseId, buildVersion } from './build-info.ts';
import { DEFAULT_SERVICE_NAME } from './contract.ts';

/** What the smoke test reports about the deployment it runs in. */
export interface SmokeTestConfig {
  service: string;
  stage: string;
  version: string;
  releaseId: string;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value.trim() : undefined;

/** Reads the deployment settings once, from the environment serverless.yml sets. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SmokeTestConfig {
  return {
    service: nonEmpty(env.POWERTOOLS_SERVICE_NAME) ?? DEFAULT_SERVICE_NAME,
    stage: nonEmpty(env.STAGE) ?? 'unknown',
    version: buildVersion,
    releaseId: buildReleaseId,
  };
}
