import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateResource } from '../project/packaged.ts';

const require = createRequire(import.meta.url);
/** aws-lambda-ric's entry: what Lambda's Node.js base images run as the runtime. */
const RIC_ENTRY = join(dirname(require.resolve('aws-lambda-ric/package.json')), 'index.mjs');
const STAND_IN = fileURLToPath(new URL('./rapid-client-stand-in.cjs', import.meta.url));

/** How to start one runtime process. */
export interface RuntimeOptions {
  /** The unzipped package (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** _HANDLER, e.g. functions/health.handler. */
  handler: string;
  /** host:port of the Runtime API. */
  runtimeApi: string;
  functionName: string;
  memoryMb: number;
  /** The function's own environment (from the template). */
  environment: Record<string, string>;
  /** Lambda's advanced logging controls (AWS_LAMBDA_LOG_FORMAT / AWS_LAMBDA_LOG_LEVEL). */
  logFormat?: string | undefined;
  logLevel?: string | undefined;
  /** Extra CommonJS preloads (tests only), loaded after the native client's stand-in. */
  preloads?: string[];
}

/** A running runtime process. */
export interface RuntimeProcess {
  /** performance.now() of this process just before spawn. */
  spawnedAt: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** The function settings of a packaged template, as Lambda applies them to the runtime. */
export function runtimeSettingsFrom(
  fn: TemplateResource,
): Omit<RuntimeOptions, 'taskRoot' | 'runtimeApi'> {
  const props = fn.Properties as {
    Handler: string;
    FunctionName: string;
    MemorySize: number;
    Environment?: { Variables?: Record<string, string> };
    LoggingConfig?: { LogFormat?: string; ApplicationLogLevel?: string };
  };
  const logging = props.LoggingConfig;
  return {
    handler: props.Handler,
    functionName: props.FunctionName,
    memoryMb: props.MemorySize,
    environment: props.Environment?.Variables ?? {},
    logFormat: logging?.LogFormat,
    // Lambda sets the application level only with the JSON format.
    logLevel: logging?.LogFormat === 'JSON' ? logging.ApplicationLogLevel : undefined,
  };
}

/**
 * Starts aws-lambda-ric the way Lambda's Node.js bootstrap does: Node 24 with the heap flags for
 * the function's memory, `_HANDLER`, `LAMBDA_TASK_ROOT`, the `AWS_LAMBDA_*` variables and the
 * function's environment, and nothing else of this process's environment. Its native client is
 * stood in for by rapid-client-stand-in.cjs.
 */
export function startLambdaRuntime(options: RuntimeOptions): RuntimeProcess {
  const newSpace = Math.floor(options.memoryMb / 10);
  const args = [
    '--expose-gc',
    '--max-http-header-size',
    '81920',
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${options.memoryMb - newSpace}`,
    '--require',
    STAND_IN,
    ...(options.preloads ?? []).flatMap((file) => ['--require', file]),
    RIC_ENTRY,
  ];
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/23/[$LATEST]0123456789abcdef0123456789abcdef',
    AWS_LAMBDA_RUNTIME_API: options.runtimeApi,
    LAMBDA_TASK_ROOT: options.taskRoot,
    LAMBDA_RUNTIME_DIR: dirname(RIC_ENTRY),
    _HANDLER: options.handler,
    ...options.environment,
  };
  if (options.logFormat !== undefined) env.AWS_LAMBDA_LOG_FORMAT = options.logFormat;
  if (options.logLevel !== undefined) env.AWS_LAMBDA_LOG_LEVEL = options.logLevel;
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.taskRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    spawnedAt,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
