import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HEALTH_JSON } from './contract.ts';
/** What every other client gets. */
export const JSON_UTF8 = 'application/json; charset=utf-8';

/** The q-value of a media range such as `application/health+json;q=0.5` (1 when absent). */
const qualityOf = (params: string[]): number => {
  for (const param of params) {
    const [key, value] = param.split('=', 2);
    if (key?.trim().toLowerCase() === 'q') {
      const q = Number(value?.trim());
      return Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0;
    }
  }
  return 1;
};

/**
 * Chooses the response media type from an Accept header: health+json only when the client names
 * it explicitly and does not rank plain JSON above it; JSON otherwise (never 406 for a probe).
 */
export function negotiateContentType(accept: string | undefined): string {
  if (accept === undefined || !accept.toLowerCase().includes(HEALTH_JSON)) return JSON_UTF8;
  let healthQ = 0;
  let jsonQ = 0;
  let jsonSpecificity = -1;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';');
    const mediaType = type.trim().toLowerCase();
    const q = qualityOf(params);
    if (mediaType === HEALTH_JSON) {
      healthQ = Math.max(healthQ, q);
      continue;
    }
    // The most specific range that matches application/json decides its quality.
    const specificity =
      mediaType === 'application/json'
        ? 2
        : mediaType === 'application/*'
          ? 1
          : mediaType === '*/*'
            ? 0
            : -1;
    if (specificity > jsonSpecificity) {
      jsonSpecificity = specificity;
      jsonQ = q;
    }
  }
  return healthQ > 0 && healthQ >= jsonQ ? HEALTH_JSON : JSON_UTF8;
}

/** Response headers of every smoke-test answer. */
export function buildHeaders(contentType: string, correlationId: string): Record<string, string> {
  return {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-correlation-id': correlationId,
  };
}

/** Options for {@link buildResponse}. */
export interface ResponseOptions {
  statusCode: number;
  body: object;
  contentType: string;
  correlationId: string;
  method: string | null;
}

/** An HTTP API (payload 2.0) result; HEAD gets the same status and headers with an empty body. */
export function buildResponse(options: ResponseOptions): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: options.statusCode,
    headers: buildHeaders(options.contentType, options.correlationId),
    body: options.method === 'HEAD' ? '' : JSON.stringify(options.body),
  };
}
