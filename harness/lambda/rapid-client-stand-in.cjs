// Preload (node --require) for aws-lambda-ric without its native build: stands in for
// `rapid-client.node` (C++ and curl) with node:http and the same contract: next() resolves with
// { bodyJson, headers }; done(id, body) and error(id, body, xray) post the result. The native
// calls block until posted; here next() waits for the previous post instead, which keeps the
// same order on the wire. Plain JavaScript so that no type stripping adds to the Init figure.
'use strict';
const Module = require('node:module');
const http = require('node:http');

const [host, port] = String(process.env.AWS_LAMBDA_RUNTIME_API).split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const base = '/2018-06-01/runtime/invocation/';
let posted = Promise.resolve();

function call(method, path, body, headers) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host, port: Number(port), method, path, agent, headers },
      (response) => {
        let data = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          data += chunk;
        });
        response.on('end', () => resolve({ body: data, headers: response.headers }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function post(path, body, headers) {
  const sent = posted.then(() =>
    call('POST', path, body, { 'content-type': 'application/json', ...headers }),
  );
  posted = sent.then(
    () => undefined,
    () => undefined,
  );
}

const standIn = {
  next: () =>
    posted.then(() =>
      call('GET', `${base}next`).then(({ body, headers }) => ({
        bodyJson: body,
        headers: {
          ...headers,
          'lambda-runtime-deadline-ms': Number(headers['lambda-runtime-deadline-ms']),
        },
      })),
    ),
  done: (id, body) => post(`${base}${id}/response`, body),
  error: (id, body, xray) =>
    post(`${base}${id}/error`, body, {
      'lambda-runtime-function-error-type': 'Runtime.Error',
      'lambda-runtime-function-xray-error-cause': xray,
    }),
};

const load = Module._load;
Module._load = function loadWithStandIn(request, parent, isMain) {
  if (String(request).endsWith('rapid-client.node')) return standIn;
  return load.call(this, request, parent, isMain);
};
