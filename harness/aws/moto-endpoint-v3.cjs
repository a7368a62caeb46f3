// Test only, for Serverless v3 against moto: v3's aws-sdk v2 ignores AWS_ENDPOINT_URL, so this
// plugin points it (path-style S3) at moto. The gate's own calls use SDK v3, which reads
// AWS_ENDPOINT_URL itself. Copied into a v3 service copy and listed before the gate.
const { dirname } = require('node:path');

class MotoEndpointV3 {
  constructor() {
    const framework = dirname(
      require.resolve('serverless/package.json', {
        paths: [process.env.SLS_V3_DIR ?? process.cwd()],
      }),
    );
    const AWS = require(require.resolve('aws-sdk', { paths: [framework] }));
    AWS.config.update({ endpoint: process.env.AWS_ENDPOINT_URL, s3ForcePathStyle: true });
  }
}

module.exports = MotoEndpointV3;
