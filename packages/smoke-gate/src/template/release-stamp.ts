import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASE_METADATA, VERSION_METADATA } from '../deployments/build-stamp.ts';

/**
 * The commit the service is built from: RELEASE_ID when set, else the service folder's git HEAD,
 * else "unknown" (the same rule the service's bundle applies to its own release id).
 */
function resolveReleaseId(serviceDir: string, env: NodeJS.ProcessEnv): string {
  if (env.RELEASE_ID) return env.RELEASE_ID;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: serviceDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** The service's own package.json version, or "unknown" when it has none. */
function serviceVersion(serviceDir: string): string {
  try {
    const { version } = JSON.parse(readFileSync(join(serviceDir, 'package.json'), 'utf8'));
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A compiled template, as far as the stamp goes. */
export interface StampableTemplate {
  Resources?: Record<string, { Type?: string; Metadata?: Record<string, unknown> }>;
}

/**
 * Stamps what the service was built from (its commit and package version) on each function of
 * the compiled template, so the stack and every deployment in the bucket say which commit they
 * run.
 */
export function stampRelease(
  template: StampableTemplate | undefined,
  serviceDir: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const release = resolveReleaseId(serviceDir, env);
  const version = serviceVersion(serviceDir);
  for (const resource of Object.values(template?.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    resource.Metadata = {
      ...resource.Metadata,
      [RELEASE_METADATA]: release,
      [VERSION_METADATA]: version,
    };
  }
}
