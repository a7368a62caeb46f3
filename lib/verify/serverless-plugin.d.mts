import type { PluginLog, ServerlessLike } from './serverless-smoke.ts';

/** Adds `serverless smoke` and the `after:deploy:deploy` verification. */
export declare class SmokeTestPlugin {
  constructor(
    serverless: ServerlessLike & { classes?: { Error: ErrorConstructor } },
    cliOptions: Record<string, unknown>,
    utils?: { log: PluginLog },
  );
  commands: Record<string, unknown>;
  hooks: Record<
    'smoke:verify' | 'after:deploy:deploy' | 'after:deploy:function:deploy',
    () => Promise<void>
  >;
}
// biome-ignore lint/style/noDefaultExport: the framework loads a plugin's default export.
export default SmokeTestPlugin;

/** lib/contract.ts DEPLOYABLE_LOG_LEVELS, repeated in the plain-JS plugin. */
export declare const DEPLOYABLE_LOG_LEVELS: string[];

/** Normalises POWERTOOLS_LOG_LEVEL and Lambda's application level; returns a one-line problem. */
export declare function applyDeployableLogLevel(service: {
  provider?: {
    environment?: Record<string, unknown>;
    logs?: { lambda?: Record<string, unknown> };
  };
}): string | undefined;
