// Edits for copies of the service (harness/project/project-copy.ts) deployed to moto, shared by the deploy
// tests and the sandbox.

/**
 * moto creates no HTTP API: in a copy, the route's URL (custom.smokeTest.url, which the
 * HealthEndpointUrl output and the route heartbeat's API destination take) names the route
 * stand-in, passed as `--param standInUrl=`. The shipped serverless.yml sets no url.
 */
export const POINT_AT_STAND_IN = {
  file: 'serverless.yml',
  from: '  smokeTest:\n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: serverless.yml variables, not JS.
  to: "  smokeTest:\n    url: ${param:standInUrl, 'http://stand-in.invalid'}${param:healthPath}\n",
};

/** The version a broken deploy ships: a 200 whose body breaks the contract. */
export const BREAK_PAYLOAD = {
  file: 'lib/payload.ts',
  from: "status: 'ok',",
  to: "status: 'pass' as 'ok',",
};

/**
 * The records key pinned in a copy's custom.smokeTest (its ARN and public key sha256, as
 * `smoke-gate records-key` prints them): the key is made per moto run, so per copy.
 */
export const pinRecordsKey = (pin: { arn: string; publicKeySha256: string }) => ({
  file: 'serverless.yml',
  from: '  smokeTest:\n',
  to: `  smokeTest:\n    recordsKey: { arn: '${pin.arn}', publicKeySha256: '${pin.publicKeySha256}' }\n`,
});

/**
 * The traffic mode's candidate stage at the route stand-in (custom.smokeTest.traffic.candidateUrl):
 * moto creates no HTTP API stage, so the copy names the stand-in's `/candidate` prefix.
 */
export const CANDIDATE_AT_STAND_IN = {
  file: 'serverless.yml',
  from: '    traffic: true\n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: serverless.yml variables, not JS.
  to: "    traffic:\n      candidateUrl: ${param:standInUrl, 'http://stand-in.invalid'}/candidate${param:healthPath}\n",
};

/**
 * The traffic mode in steps: the candidate stage at the route stand-in, and a canary of 10% for
 * one minute (docs/traffic.md).
 */
export const CANARY_AT_STAND_IN = {
  file: 'serverless.yml',
  from: '    traffic: true\n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: serverless.yml variables, not JS.
  to: "    traffic:\n      candidateUrl: ${param:standInUrl, 'http://stand-in.invalid'}/candidate${param:healthPath}\n      canary: { percent: 10, minutes: 1 }\n",
};

/** A copy that deploys all at once (the suites of the mode before docs/traffic.md). */
export const ALL_AT_ONCE = {
  file: 'serverless.yml',
  from: '    traffic: true\n',
  to: '    traffic: false\n',
};
