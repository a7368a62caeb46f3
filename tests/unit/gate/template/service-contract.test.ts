import { describe, expect, it } from 'vitest';
import {
  getRoutes,
  readServiceContract,
} from '../../../../packages/smoke-gate/src/template/service-contract.ts';

const get = (path: string) => ({ httpApi: { method: 'GET', path } });

describe('readServiceContract', () => {
  it('finds the only function with an HTTP API GET route, and its path', () => {
    // Prepare
    const functions = {
      worker: { events: [{ sqs: 'arn:aws:sqs:eu-west-1:1:q' }] },
      ping: { events: [{ httpApi: 'POST /ping' }, { httpApi: 'GET /ping' }] },
    };
    // Act
    const { functionName, contract } = readServiceContract({ smokeTest: {} }, functions);
    // Assess
    expect(functionName).toBe('ping');
    expect(contract.path).toBe('/ping');
  });

  it('reads the routes in both of the framework’s forms', () => {
    expect(
      getRoutes({ events: [get('/a'), { httpApi: 'get /b' }, { httpApi: '*' }] }),
    ).toStrictEqual(['/a', '/b']);
  });

  it.each([
    [
      { a: { events: [get('/a')] }, b: { events: [get('/b')] } },
      {},
      /2 functions have HTTP API GET routes \(a, b\); name one/,
    ],
    [{ a: { events: [] } }, {}, /no function has an HTTP API GET route/],
    [
      { a: { events: [get('/a')] } },
      { function: 'b' },
      /function "b" is not a function of this service \(a\)/,
    ],
    [
      { a: { events: [get('/a')] } },
      { path: '/b' },
      /path "\/b" is not a GET route of function a \(\/a\)/,
    ],
    [{ a: { events: [get('/a')] } }, { fucntion: 'a' }, /did you mean "function"/],
  ])('refuses %j with %j in one line', (functions, smokeTest, message) => {
    expect(() => readServiceContract({ smokeTest }, functions)).toThrow(message);
  });

  it('takes the named function among many', () => {
    // Act
    const { functionName, contract } = readServiceContract(
      { smokeTest: { function: 'b', path: '/b2' } },
      { a: { events: [get('/a')] }, b: { events: [get('/b'), get('/b2')] } },
    );
    // Assess
    expect([functionName, contract.path]).toStrictEqual(['b', '/b2']);
  });
});
