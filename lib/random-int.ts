/**
 * `node:crypto`'s randomInt(min, max), for the Powertools Logger's debug-log sampling, on the Web
 * Crypto global: esbuild.config.cjs swaps it in for the Logger's eager `node:crypto` import,
 * which costs about 7 ms of Init in the runtime harness; Web Crypto loads only if sampling runs.
 */
export function randomInt(min: number, max: number): number {
  const [value = 0] = globalThis.crypto.getRandomValues(new Uint32Array(1));
  return min + (value % (max - min));
}
