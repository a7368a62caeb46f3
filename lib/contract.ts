// The smoke-test contract shared by the function and the verifier: what the answer and the log
// line carry. The function builds them from these names; the verifier judges by the same names.

/** The service name when POWERTOOLS_SERVICE_NAME is not set, and the stack name's prefix. */
export const DEFAULT_SERVICE_NAME = 'petsage-smoke-test';
/** The route path when serverless.yml's healthPath param is not overridden. */
export const DEFAULT_HEALTH_PATH = '/health';

/** The message the FastAPI versions of this feature answered with. */
export const SMOKE_TEST_MESSAGE = 'PetSage system is alive and purring!';
/** Feature tag shared by the response and the log line. */
export const SMOKE_TEST_FEATURE = 'smoke_test';
/** The IETF health check response media type. */
export const HEALTH_JSON = 'application/health+json';

/** Fields of a successful answer's body, each a non-empty string. */
export const HEALTH_BODY_FIELDS = [
  'status',
  'message',
  'feature',
  'service',
  'version',
  'releaseId',
  'stage',
  'timestamp',
  'correlationId',
] as const;

/** Message, event name and level of the one line a successful invocation writes. */
export const SMOKE_LOG_MESSAGE = 'smoke test executed';
export const SMOKE_LOG_EVENT = 'smoke_test_executed';
export const SMOKE_LOG_LEVEL = 'INFO';
/** Message and event name of the line a failed invocation writes instead. */
export const SMOKE_FAILED_LOG_MESSAGE = 'smoke test failed';
export const SMOKE_FAILED_LOG_EVENT = 'smoke_test_failed';
/** Keys of the smoke line, besides correlation_id, event and level, that must be non-empty. */
export const SMOKE_LINE_REQUIRED_KEYS = ['service', 'function_request_id', 'timestamp'] as const;
/** Log levels that keep the INFO smoke line: the only ones serverless.yml may deploy. */
export const DEPLOYABLE_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO'] as const;

/** What triggered an invocation, as the line's `trigger` key says. */
export type SmokeTrigger = 'http' | 'route-heartbeat' | 'schedule' | 'direct';

/**
 * The route heartbeat's marker: EventBridge's API destination calls the public route with this
 * header (a fixed, public value, never a credential), so its lines say `route-heartbeat`.
 */
export const ROUTE_HEARTBEAT_HEADER = 'x-petsage-heartbeat';
export const ROUTE_HEARTBEAT_MARKER = 'route-heartbeat';
