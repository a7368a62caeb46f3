import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** An HTTP API (payload 2.0) event for a request, as API Gateway builds it. */
export const toEvent = (req: IncomingMessage, url: URL, body: string) => {
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'motoapi',
      domainName: String(req.headers.host),
      domainPrefix: 'motoapi',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: String(req.headers['user-agent'] ?? ''),
      },
      requestId: `${randomBytes(10).toString('base64url')}=`,
      routeKey: `${method} ${url.pathname}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body === '' ? undefined : body,
    isBase64Encoded: false,
  };
};
