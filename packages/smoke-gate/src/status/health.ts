import { CLI_NAME } from '../core/product.ts';

/** One alarm's state, as `status` reports it. */
export interface AlarmStatus {
  role: 'heartbeat' | 'route' | 'failure';
  name: string;
  state: string;
  since: string | null;
  reason: string | null;
}

/** What the stage's health is judged from: alarm states and the newest line of each half. */
export interface HealthFacts {
  alarms: AlarmStatus[];
  /** Age of the newest direct heartbeat line, and of the newest line through the route. */
  ageMs: number | null;
  routeAgeMs: number | null;
  staleAfterMs: number;
  /** The stack has a route heartbeat alarm (older stacks do not). */
  hasRouteAlarm: boolean;
  logGroupName: string;
  /** The stack stores the contract (and monitoring) the lines are read by; else none were read. */
  linesKnown: boolean;
  /** The gate's recorded verdict on the live deployment, and its commit, when read. */
  live?: { verdict: string | null; commit: string | null; directory: string | null } | undefined;
}

/** The judgement: healthy, alarming or stale, which half is broken, and what to check. */
export interface Health {
  status: 'healthy' | 'alarming' | 'stale' | 'unverified';
  broken: 'route' | 'function' | null;
  hints: string[];
}

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Judges a stage's health: an alarm in ALARM or missing is alarming; a heartbeat older than the
 * window is stale; the broken half is the function when neither half wrote (or its heartbeat
 * alarms), else the route when nothing came through it.
 */
export function judgeHealth(facts: HealthFacts): Health {
  const { alarms, staleAfterMs } = facts;
  const stale = facts.ageMs === null || facts.ageMs > staleAfterMs;
  const routeStale = facts.routeAgeMs === null || facts.routeAgeMs > staleAfterMs;
  const inAlarm = (role: AlarmStatus['role']) =>
    alarms.some((alarm) => alarm.role === role && alarm.state === 'ALARM');
  const functionBroken = stale && (routeStale || inAlarm('heartbeat'));
  const routeBroken = !functionBroken && (inAlarm('route') || (facts.hasRouteAlarm && routeStale));
  const broken = functionBroken ? 'function' : routeBroken ? 'route' : null;
  const hints: string[] = [];
  for (const alarm of alarms) {
    if (alarm.state === 'MISSING')
      hints.push(`alarm ${alarm.name} does not exist: redeploy the stack.`);
    if (alarm.state === 'ALARM') hints.push(`alarm ${alarm.name}: ${alarm.reason ?? 'in ALARM'}`);
  }
  if (!facts.hasRouteAlarm) {
    hints.push(
      'this stack has no route heartbeat yet (RouteHeartbeatAlarmName output): redeploy to watch the route too.',
    );
  }
  if (!facts.linesKnown) {
    hints.push(
      "the stack's template stores no smoke-test contract (Metadata.SmokeGate), so its lines were not read: deploy it with this version of the gate.",
    );
  } else if (broken === 'function') {
    hints.push(
      `the function itself wrote no heartbeat line in ${facts.logGroupName} for ${minutes(staleAfterMs)} min (and nothing came through the route): check the heartbeat schedule (custom.smokeTest.monitoring.schedule and .heartbeat, the stack's HeartbeatEnabled parameter), the function's log permissions and level, and the log group.`,
    );
  } else if (broken === 'route') {
    hints.push(
      'the route is broken: the function still writes its direct heartbeat lines, but no line came through API Gateway in the window. Check the HTTP API route and stage, its throttling, the integration and its permission, a custom domain mapping, and the route heartbeat rule and API destination.',
    );
  } else if (stale) {
    hints.push(
      `no direct heartbeat line for ${minutes(staleAfterMs)} min, though the route works: check the direct heartbeat's schedule (custom.smokeTest.monitoring.schedule and .heartbeat, the stack's HeartbeatEnabled parameter).`,
    );
  }
  const alarming = alarms.some((alarm) => alarm.state === 'ALARM' || alarm.state === 'MISSING');
  const status = alarming ? 'alarming' : stale || broken !== null ? 'stale' : 'healthy';
  // The gate's record is the freshest fact: a live deployment that failed its gate comes first.
  const unverified = liveProblem(facts.live);
  if (unverified !== undefined)
    return { status: 'unverified', broken, hints: [unverified, ...hints] };
  return { status, broken, hints };
}

/** Recorded verdicts that make a live deployment unhealthy whatever the alarms say, with why. */
export const UNHEALTHY_LIVE: Readonly<Record<string, string>> = {
  failed: 'FAILED its smoke test and was left live',
  interrupted: 'was never verified: its gate was interrupted (Ctrl-C or a CI cancel)',
  untrusted:
    'has no record the gate can trust (unsigned, or not signed by the records key): nothing proves it passed its gate',
};

/**
 * A live deployment the gate recorded as failed (left live: --skip-rollback, or no rollback) or
 * whose gate was interrupted.
 */
function liveProblem(live: HealthFacts['live']): string | undefined {
  const why = Object.hasOwn(UNHEALTHY_LIVE, live?.verdict ?? '')
    ? UNHEALTHY_LIVE[live?.verdict ?? '']
    : undefined;
  if (live === undefined || why === undefined) return undefined;
  return `the live deployment ${live.directory ?? '?'} (commit ${live.commit ?? 'unknown'}) ${why}: roll back to a verified one (npx serverless rollback --commit <commit>, see npx ${CLI_NAME} history) or deploy a fix.`;
}
