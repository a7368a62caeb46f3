// The smoke-test contract the gate judges by: what the route's answer and the function's log line
// carry. These are PetSage's smoke-test function's names (lib/contract.ts in its repository, held
// equal by a test there) until a service names its own contract in custom.smokeTest.

/** The service name when none is given, and the stack name's prefix. */
export const DEFAULT_SERVICE_NAME = 'petsage-smoke-test';
/** The route path when none is given. */
export const DEFAULT_HEALTH_PATH = '/health';

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

/** Event name and level of the one line a successful invocation writes. */
export const SMOKE_LOG_EVENT = 'smoke_test_executed';
export const SMOKE_LOG_LEVEL = 'INFO';
/** Event name of the line a failed invocation writes instead. */
export const SMOKE_FAILED_LOG_EVENT = 'smoke_test_failed';
/** Keys of the smoke line, besides correlation_id, event and level, that must be non-empty. */
export const SMOKE_LINE_REQUIRED_KEYS = ['service', 'function_request_id', 'timestamp'] as const;
/** Log levels that keep the INFO smoke line: the only ones a service may deploy. */
export const DEPLOYABLE_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO'] as const;
