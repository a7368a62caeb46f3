import { ID } from './deployment-record.ts';

/** Template metadata the plugin stamps on the function: what the code was built from. */
export const RELEASE_METADATA = 'smoke-gate:release';
export const VERSION_METADATA = 'smoke-gate:version';

/** The keys stacks and deployments stamped before the gate had its own name: still read. */
export const LEGACY_STAMP_KEYS = {
  release: 'petsage:release',
  version: 'petsage:version',
} as const;

/** A template's resources, as far as the build stamp and the code location go. */
export type TemplateResources = Record<
  string,
  {
    Type?: string;
    Metadata?: Record<string, unknown>;
    Properties?: { Code?: { S3Key?: unknown }; FunctionName?: unknown };
  }
>;

const stampText = (value: unknown): string | null =>
  typeof value === 'string' && ID.test(value) ? value : null;

/**
 * The function of a template (compiled, deployed or in the bucket) and what it was built from:
 * the plugin's stamp, checked like any value from outside (nulls when missing or odd).
 */
export function stampedFunction(resources: TemplateResources | undefined): {
  codeKey: string | undefined;
  /** The function's name, where the template names it (the framework always does). */
  functionName: string | undefined;
  commit: string | null;
  version: string | null;
} {
  const fn = Object.values(resources ?? {}).find((r) => r.Type === 'AWS::Lambda::Function');
  const key = fn?.Properties?.Code?.S3Key;
  const name = fn?.Properties?.FunctionName;
  return {
    codeKey: typeof key === 'string' ? key : undefined,
    functionName: typeof name === 'string' && /^[\w-]{1,140}$/.test(name) ? name : undefined,
    commit: stampText(
      fn?.Metadata?.[RELEASE_METADATA] ?? fn?.Metadata?.[LEGACY_STAMP_KEYS.release],
    ),
    version: stampText(
      fn?.Metadata?.[VERSION_METADATA] ?? fn?.Metadata?.[LEGACY_STAMP_KEYS.version],
    ),
  };
}
