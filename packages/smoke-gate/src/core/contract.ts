// The smoke-test contract the gate judges by: what the route's answer and the function's log line
// must carry. A service names its own in serverless.yml `custom.smokeTest` (core/contract-config.ts
// reads it); the plugin stores it in the stack's template Metadata, where the CLI reads it back.
// Without one (a bare --url and --log-group), the defaults below apply.

/** The route path when none is given. */
export const DEFAULT_HEALTH_PATH = '/health';

/** A value a contract may require a key to hold exactly. */
export type ContractValue = string | number | boolean;

/**
 * How the function's line reaches CloudWatch Logs:
 * - `stdout-json`: the line is the event's whole message, a JSON object (Powertools, or any raw
 *   JSON line under Lambda's JSON log format, which passes it through);
 * - `lambda-text`: `console.log` of a JSON text under Lambda's Text format:
 *   `<time>\t<request id>\tINFO\t<json>`;
 * - `lambda-json`: `console.log` of a JSON text under Lambda's JSON format:
 *   `{"timestamp","level","requestId","message":"<json>"}`.
 */
export const LOG_FORMATS = ['stdout-json', 'lambda-text', 'lambda-json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What the route must answer for the gate's GET. */
export interface ResponseContract {
  /** The status a healthy route answers. */
  status: number;
  /** The content type the answer must start with (any when undefined). */
  contentType: string | undefined;
  /** Keys the JSON body must hold with exactly these values. */
  json: Record<string, ContractValue>;
  /** Keys the JSON body must hold with a non-empty value. */
  required: string[];
  /** Whether the answer must echo the correlation id in the correlation header. */
  echoCorrelationId: boolean;
  /** The body key that must carry the correlation id, if any. */
  correlationKey: string | undefined;
}

/** What the function's one line for the gate's call must carry. */
export interface LogLineContract {
  /** Keys the line must hold with exactly these values. */
  json: Record<string, ContractValue>;
  /** Keys the line must hold with a non-empty value. */
  required: string[];
  /** The key that carries the correlation id the gate sent. */
  correlationKey: string;
  /** The formats the line may arrive in. */
  formats: LogFormat[];
}

/** The whole contract: route, header, answer and line. */
export interface SmokeContract {
  path: string;
  /** The request header that carries the correlation id to the function. */
  correlationHeader: string;
  response: ResponseContract;
  logLine: LogLineContract;
}

/** The contract's defaults: a 200 and a line carrying the id, in any format. */
export const DEFAULT_CONTRACT: SmokeContract = {
  path: DEFAULT_HEALTH_PATH,
  correlationHeader: 'x-correlation-id',
  response: {
    status: 200,
    contentType: undefined,
    json: {},
    required: [],
    echoCorrelationId: false,
    correlationKey: undefined,
  },
  logLine: { json: {}, required: [], correlationKey: 'correlation_id', formats: [...LOG_FORMATS] },
};

/** Log levels that keep an INFO smoke line: the only ones `enforceLogLevel` lets a service deploy. */
export const DEPLOYABLE_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO'] as const;
