// A caller on a stage's public route while a deploy runs, counted at the route stand-in: which
// version answered every request (docs/traffic.md).
import type { RouteStandIn, ServedRequest } from '../../harness/route/route-stand-in.ts';

/**
 * Calls `path` on the stand-in one request at a time for as long as `work` runs. Returns what
 * `work` returned and the public (`$default`) requests the stand-in answered meanwhile.
 */
export async function underLoad<T>(
  route: RouteStandIn,
  path: string,
  work: () => Promise<T>,
): Promise<{ result: T; served: ServedRequest[] }> {
  const before = route.servedLog().length;
  let running = true;
  const caller = (async () => {
    while (running) {
      await fetch(`${route.baseUrl}${path}`)
        .then((answer) => answer.arrayBuffer())
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    const result = await work();
    const served = route.servedLog().slice(before);
    return { result, served: served.filter((request) => request.stage === '$default') };
  } finally {
    running = false;
    await caller;
  }
}

/** The version that served each request (`(<status>)` when none ran), runs of one collapsed. */
export const versionRuns = (served: ServedRequest[]): string[] =>
  served
    .map((request) => request.version ?? `(${request.status})`)
    .filter((version, i, all) => i === 0 || all[i - 1] !== version);
