// The contract of the service the plugin runs in: `custom.smokeTest` read against the service's
// own functions, so `function` and `path` default to the one function with an HTTP API GET route.

import type { SmokeContract } from '../core/contract.ts';
import { checkKeys, readContract } from '../core/contract-config.ts';
import { CouldNotJudgeError } from '../core/errors.ts';
import { isRecord } from '../core/json.ts';
import { safeJson } from '../core/safe-text.ts';
import { SMOKE_TEST_KEYS } from '../core/smoke-test-keys.ts';

/** A function as serverless.yml declares it, as far as its routes go. */
export interface FunctionConfig {
  events?: unknown[];
}

/** The HTTP API GET routes of a function: `httpApi: { method, path }` or `httpApi: 'GET /path'`. */
export function getRoutes(fn: FunctionConfig | undefined): string[] {
  const paths: string[] = [];
  for (const event of fn?.events ?? []) {
    const route = isRecord(event) ? event.httpApi : undefined;
    if (typeof route === 'string') {
      const [method, path] = route.trim().split(/\s+/);
      if (method?.toUpperCase() === 'GET' && path !== undefined) paths.push(path);
    } else if (isRecord(route) && String(route.method).toUpperCase() === 'GET') {
      if (typeof route.path === 'string') paths.push(route.path);
    }
  }
  return paths;
}

/** The function the gate calls, and its route. */
export interface ServiceContract {
  functionName: string;
  contract: SmokeContract;
  /** custom.smokeTest as given (an empty map when absent). */
  config: Record<string, unknown>;
}

/** `custom.smokeTest` of a service, or an empty map. */
export const smokeTestConfig = (custom: unknown): Record<string, unknown> =>
  isRecord(custom) && isRecord(custom.smokeTest) ? custom.smokeTest : {};

/** The function named by `custom.smokeTest.function`, or the only one with a GET route. */
function gatedFunction(config: Record<string, unknown>, functions: Record<string, FunctionConfig>) {
  const named = config.function;
  if (named !== undefined) {
    if (typeof named !== 'string' || !(named in functions)) {
      throw new CouldNotJudgeError(
        `custom.smokeTest.function ${safeJson(named)} is not a function of this service (${Object.keys(functions).join(', ') || 'none'})`,
      );
    }
    return named;
  }
  const candidates = Object.keys(functions).filter((name) => getRoutes(functions[name]).length > 0);
  if (candidates.length === 1) return candidates[0] as string;
  throw new CouldNotJudgeError(
    candidates.length === 0
      ? 'custom.smokeTest: no function has an HTTP API GET route for the gate to call; add one, or name it in custom.smokeTest.function'
      : `custom.smokeTest: ${candidates.length} functions have HTTP API GET routes (${candidates.join(', ')}); name one in custom.smokeTest.function`,
  );
}

/** Reads and checks the service's `custom.smokeTest` contract; one-line errors. */
export function readServiceContract(
  custom: unknown,
  functions: Record<string, FunctionConfig> | undefined,
): ServiceContract {
  const config = smokeTestConfig(custom);
  checkKeys(config, SMOKE_TEST_KEYS[''], '');
  const functionName = gatedFunction(config, functions ?? {});
  const routes = getRoutes(functions?.[functionName]);
  const path = config.path ?? routes[0];
  if (typeof path === 'string' && config.path !== undefined && !routes.includes(path)) {
    throw new CouldNotJudgeError(
      `custom.smokeTest.path ${safeJson(path)} is not a GET route of function ${functionName} (${routes.join(', ') || 'none'})`,
    );
  }
  return {
    functionName,
    contract: readContract({ ...config, path }, typeof path === 'string' ? path : undefined),
    config,
  };
}
