// What a packaged template holds apart from the code: each resource's type (the function
// version's logical id, which hashes the code, named by its type alone), and whole the parts the
// gate generates (monitoring, parameters, conditions, outputs' keys, the gate's Metadata). Held
// against tests/fixtures/petsage-template-shape.json so this service's template does not change
// when the gate's defaults do (issue 48: it opts in to what it had).
import type { Template } from '../../harness/project/packaged.ts';

/** The resources the gate generates whose properties do not depend on the code. */
const GENERATED = /^(HealthEventsRuleSchedule\d+|.*Alarm|RouteHeartbeat.*|Smoke.*|AlarmTopic.*)$/;

export function templateShape(template: Template) {
  const resources = Object.entries(template.Resources ?? {});
  const t = template as Template & {
    Outputs?: Record<string, unknown>;
    Parameters?: Record<string, unknown>;
    Conditions?: Record<string, unknown>;
    Metadata?: Record<string, unknown>;
  };
  return {
    types: Object.fromEntries(
      resources
        .map(([id, resource]) => [
          id.startsWith('HealthLambdaVersion') ? 'HealthLambdaVersion' : id,
          resource.Type,
        ])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ),
    generated: Object.fromEntries(
      resources
        .filter(([id]) => GENERATED.test(id))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, resource]) => [id, resource]),
    ),
    outputs: Object.keys(t.Outputs ?? {}).sort(),
    parameters: t.Parameters ?? {},
    conditions: t.Conditions ?? {},
    gate: t.Metadata?.SmokeGate,
  };
}
