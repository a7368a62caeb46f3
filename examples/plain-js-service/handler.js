// A second service that uses the gate: plain JavaScript, no Middy, no Powertools. Its route
// answers JSON and writes one line with console.log, which Lambda wraps in its Text format.

const SERVICE = process.env.SERVICE_NAME ?? 'plain-js-ping';
const TRACE_HEADER = 'x-trace-id';

/** A trace id the caller sent, when it is a sane one; else Lambda's request id. */
function traceOf(event, context) {
  const sent = event?.headers?.[TRACE_HEADER];
  return typeof sent === 'string' && /^[\w.:-]{1,128}$/.test(sent) ? sent : context.awsRequestId;
}

/** GET /ping: answers { pong: true } and logs the one line the gate looks for. */
exports.ping = async (event, context) => {
  const trace = traceOf(event, context);
  console.log(
    JSON.stringify({
      msg: 'ping_done',
      trace,
      service: SERVICE,
      via: event?.requestContext ? 'http' : 'schedule',
    }),
  );
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', [TRACE_HEADER]: trace },
    body: JSON.stringify({ pong: true, service: SERVICE }),
  };
};
