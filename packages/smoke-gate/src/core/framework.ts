/** What the plugin uses of the framework: settings, region, credentials, stack and bucket. */
export interface ServerlessLike {
  /** The service's folder (where its serverless.yml and package.json are). */
  serviceDir?: string;
  service: {
    service?: string;
    custom?: Record<string, unknown> | null;
    /** Set by the framework's deploy: `serverless/<service>/<stage>/<directory>`. */
    package?: { artifactDirectoryName?: string };
    provider?: {
      /** Set when the framework found nothing to deploy ("No changes to deploy"). */
      shouldNotDeploy?: boolean;
      compiledCloudFormationTemplate?: {
        Resources?: Record<string, { Type?: string; Metadata?: Record<string, unknown> }>;
      };
      environment?: Record<string, unknown>;
      logs?: { lambda?: Record<string, unknown> } & Record<string, unknown>;
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

/** The framework's logger (the plugin's third constructor argument). */
export interface PluginLog {
  notice(message: string): void;
  success?(message: string): void;
  error?(message: string): void;
}

/** Thrown to make the serverless command exit non-zero; the framework prints the message. */
export class SmokeTestFailedError extends Error {
  override name = 'SmokeTestFailedError';
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}
