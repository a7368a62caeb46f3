import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const OPENAPI_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

type Schema = Record<string, unknown>;
interface ResponseSpec {
  headers?: Record<string, { schema: Schema }>;
  content?: Record<string, { schema: Schema }>;
}
interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, ResponseSpec> }>>;
}

/** Loads openapi.yaml, validates it against the OpenAPI schema, and dereferences it. */
export async function loadOpenApi() {
  const validator = new Validator();
  const result = await validator.validate(OPENAPI_PATH);
  const spec = validator.resolveRefs() as unknown as Spec;
  return { result, version: validator.version, spec };
}

/**
 * Checks a real response against the document: a documented status, every documented header
 * with a value its schema accepts, and for GET a body its media type's schema accepts.
 * Returns the problems found (empty when the response conforms).
 */
export function responseProblems(
  spec: Spec,
  method: 'get' | 'head',
  response: { statusCode: number; headers: Record<string, string>; body: string },
): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const operation = spec.paths['/health']?.[method];
  const documented = operation?.responses[String(response.statusCode)];
  if (documented === undefined) return [`status ${response.statusCode} is not documented`];
  const problems: string[] = [];
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    const value = response.headers[name];
    if (value === undefined) problems.push(`header ${name} is missing`);
    else if (!ajv.validate(header.schema, value))
      problems.push(`header ${name}: ${ajv.errorsText()}`);
  }
  if (method === 'head') {
    if (response.body !== '') problems.push('HEAD response has a body');
    return problems;
  }
  const mediaType = response.headers['content-type']?.split(';')[0]?.trim() ?? '';
  const content = documented.content?.[mediaType];
  if (content === undefined) return [...problems, `media type ${mediaType} is not documented`];
  if (!ajv.validate(content.schema, JSON.parse(response.body))) {
    problems.push(`body: ${ajv.errorsText()}`);
  }
  return problems;
}

/** Adapts a handler result to {@link responseProblems}. */
export function fromResult(result: APIGatewayProxyStructuredResultV2) {
  return {
    statusCode: result.statusCode ?? 0,
    headers: Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
    ),
    body: result.body ?? '',
  };
}
