import { type RuntimeOptions, startLambdaRuntime } from './lambda-runtime.ts';
import { startRuntimeApi } from './runtime-api.ts';

/** One cold start, measured where Lambda measures it. */
export interface ColdStart {
  /** Spawn of the runtime process to its first `GET /next`: what Lambda reports as Init. */
  initMs: number;
  /** The first invocation: `next` served to the response posted. */
  firstInvokeMs: number;
  /** What a cold request waits for: spawn to the first response posted. */
  firstResponseMs: number;
}

/**
 * Starts a fresh runtime process on a task root and invokes it once with `event`: Init and the
 * first invocation, measured from this process (spawn included, as Lambda's Init includes the
 * runtime's own start).
 */
export async function measureColdStart(
  options: Omit<RuntimeOptions, 'runtimeApi'>,
  event: unknown,
): Promise<ColdStart> {
  const api = await startRuntimeApi();
  const runtime = startLambdaRuntime({ ...options, runtimeApi: api.address });
  try {
    const failed = runtime.exited.then((code) => {
      throw new Error(`runtime exited (${code}) before answering:\n${runtime.stderr()}`);
    });
    const firstNext = await Promise.race([api.firstNext, failed]);
    const result = await Promise.race([api.invoke(event), failed]);
    if (result.kind !== 'response') throw new Error(`invocation error: ${result.body}`);
    const answered = performance.now();
    return {
      initMs: firstNext - runtime.spawnedAt,
      firstInvokeMs: result.durationMs,
      firstResponseMs: answered - runtime.spawnedAt,
    };
  } finally {
    await runtime.stop();
    await api.stop();
  }
}
