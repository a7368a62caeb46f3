// The framework's object as the plugin reads it: only plugin/ sees it. The rest of the gate takes
// the plain values plugin/framework-stage.ts reads from it (gate/framework-stage.ts).

/** What the plugin uses of the framework: settings, region, credentials, stack and bucket. */
export interface ServerlessLike {
  /** The service's folder (where its serverless.yml and package.json are). */
  serviceDir?: string;
  service: {
    service?: string;
    custom?: Record<string, unknown> | null;
    /** The service's functions, by name (the gate adds the heartbeat's event to one). */
    functions?: Record<string, unknown>;
    /** Set by the framework's deploy: `serverless/<service>/<stage>/<directory>`. */
    package?: { artifactDirectoryName?: string };
    provider?: {
      /** Set when the framework found nothing to deploy ("No changes to deploy"). */
      shouldNotDeploy?: boolean;
      compiledCloudFormationTemplate?: {
        Resources?: Record<string, { Type?: string; Metadata?: Record<string, unknown> }>;
      };
      /** The template a new stack is first created with (the deployment bucket alone). */
      coreCloudFormationTemplate?: { Resources?: Record<string, unknown> };
      environment?: Record<string, unknown>;
      logs?: { lambda?: Record<string, unknown> } & Record<string, unknown>;
      iam?: unknown;
      /** Serverless v3's CloudFormation service role. */
      cfnRole?: unknown;
    };
  };
  getProvider(name: 'aws'): {
    /** osls and Serverless v4: the framework's SDK v3 client config. */
    getAwsSdkV3Config?(): Promise<Record<string, unknown>>;
    /** Serverless v3: SDK v2 credentials (synchronous), its region. */
    getCredentials?(): { credentials?: object; region?: string };
    getProfile?(): string | undefined;
    naming: {
      getStackName(): string;
      getLambdaLogicalId?(functionName: string): string;
      getLogGroupLogicalId?(functionName: string): string;
    };
    getServerlessDeploymentBucketName?(): Promise<string>;
    getDeploymentPrefix?(): string;
    getStage?(): string;
    getRegion?(): string;
  };
  /** Runs another framework command's lifecycle (here: `rollback`). */
  pluginManager?: { spawn(command: string): Promise<unknown> };
}

/** What the framework hands a plugin besides the service: its version, error class and schema handler. */
export type PluginServerless = ServerlessLike & {
  /** The framework's version as it reports it (osls and Serverless v4 both say 4.x). */
  version?: string;
  classes?: { Error: new (message: string, code?: string) => Error };
  configSchemaHandler?: { defineCustomProperties(schema: unknown): void };
};
