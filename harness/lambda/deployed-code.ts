import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type healthFunction, unzip } from '../project/packaged.ts';
import { type RuntimeProcess, runtimeSettingsFrom, startLambdaRuntime } from './lambda-runtime.ts';
import { type RuntimeApi, startRuntimeApi } from './runtime-api.ts';

/** A deployment's function code, running under the runtime harness. */
export interface RunningCode {
  api: RuntimeApi;
  runtime: RuntimeProcess;
  stop(): Promise<void>;
}

/**
 * Downloads a deployed zip from the deployment bucket, unzips it and starts it as Lambda would
 * (aws-lambda-ric against the Runtime API emulator), with the template function's handler,
 * environment and logging controls. stop() ends both and removes the files.
 */
export async function startDeployedCode(options: {
  s3: S3Client;
  bucket: string;
  key: string;
  fn: ReturnType<typeof healthFunction>;
}): Promise<RunningCode> {
  const dir = await mkdtemp(join(tmpdir(), 'petsage-route-'));
  const object = await options.s3.send(
    new GetObjectCommand({ Bucket: options.bucket, Key: options.key }),
  );
  await writeFile(
    join(dir, 'code.zip'),
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  await unzip(join(dir, 'code.zip'), join(dir, 'task'));
  const api = await startRuntimeApi();
  const runtime = startLambdaRuntime({
    ...runtimeSettingsFrom(options.fn),
    taskRoot: join(dir, 'task'),
    runtimeApi: api.address,
  });
  return {
    api,
    runtime,
    stop: async () => {
      await runtime.stop();
      await api.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
