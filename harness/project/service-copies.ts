// Edits for copies of the service (harness/project/project-copy.ts) deployed to moto, shared by the deploy
// tests and the sandbox.

/**
 * moto creates no HTTP API: in a copy, the route's URL (the HealthEndpointUrl output and the
 * route heartbeat's API destination) names the route stand-in, passed as `--param standInUrl=`.
 * The shipped serverless.yml has no such setting.
 */
export const POINT_AT_STAND_IN = {
  file: 'serverless.yml',
  // biome-ignore-start lint/suspicious/noTemplateCurlyInString: serverless.yml variables, not JS.
  from: "healthEndpointUrl: !Join ['', [!GetAtt HttpApi.ApiEndpoint, '${param:healthPath}']]",
  to: "healthEndpointUrl: ${param:standInUrl, 'http://stand-in.invalid'}${param:healthPath}",
  // biome-ignore-end lint/suspicious/noTemplateCurlyInString: serverless.yml variables, not JS.
};

/** The version a broken deploy ships: a 200 whose body breaks the contract. */
export const BREAK_PAYLOAD = {
  file: 'lib/payload.ts',
  from: "status: 'ok',",
  to: "status: 'pass' as 'ok',",
};
