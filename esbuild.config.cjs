// esbuild options for serverless-esbuild (loaded with require), shared with vitest.config.ts so
// tests run the same build-time constants the bundle ships with.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { version } = require('./package.json');

/** The git commit the bundle is built from; RELEASE_ID overrides it, "unknown" outside git. */
function resolveReleaseId(env = process.env) {
  if (env.RELEASE_ID) return env.RELEASE_ID;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: __dirname,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** Build-time constants replaced in the bundle (see lib/build-info.ts). */
function buildDefines(env = process.env) {
  return {
    __PETSAGE_VERSION__: JSON.stringify(version),
    __PETSAGE_RELEASE_ID__: JSON.stringify(resolveReleaseId(env)),
  };
}

/**
 * The Powertools Logger imports `node:crypto` at load for `randomInt`, used only by debug-log
 * sampling; that import is about 7 ms of Init (BENCHMARKS.md). This resolves it, for the Logger
 * only, to lib/random-int.ts, which uses the Web Crypto global when sampling runs.
 */
const lazyLoggerCrypto = {
  name: 'powertools-logger-lazy-crypto',
  setup(build) {
    const logger = `${path.sep}@aws-lambda-powertools${path.sep}logger${path.sep}`;
    build.onResolve({ filter: /^node:crypto$/ }, (args) =>
      args.importer.includes(logger)
        ? { path: path.join(__dirname, 'lib/random-int.ts') }
        : undefined,
    );
  },
};

/** True for `serverless invoke local`, whose loader tries `.js` and `.cjs` but never `.mjs`. */
function isInvokeLocal(serverless) {
  const commands = serverless?.processedInput?.commands ?? [];
  return commands[0] === 'invoke' && commands[1] === 'local';
}

/** True for `serverless offline`, which gets a work folder of its own (see below). */
function isOffline(serverless) {
  return (serverless?.processedInput?.commands ?? [])[0] === 'offline';
}

module.exports = (serverless) => ({
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  // Lambda loads .mjs as ESM without a package.json beside it. invoke local gets .js, which
  // Node 24 loads as ESM through this repo's "type": "module".
  outputFileExtension: isInvokeLocal(serverless) ? '.js' : '.mjs',
  // Its own build folder, so a .js built for invoke local never ends up in a deployment zip.
  outputBuildFolder: isInvokeLocal(serverless) ? '.build-invoke-local' : '.build',
  // `serverless package` and `deploy` delete their work folder: a running `npm start` keeps its
  // own, so packaging never pulls the bundle from under the local server.
  outputWorkFolder: isOffline(serverless) ? '.esbuild-offline' : '.esbuild',
  legalComments: 'none',
  // The runtime ships the AWS SDK v3; nothing here imports it, this keeps it out if something does.
  exclude: ['@aws-sdk/*'],
  define: buildDefines(),
  plugins: [lazyLoggerCrypto],
});

/** The options esbuild itself takes, from serverless-esbuild's (which adds its own keys). */
function esbuildOnly(config) {
  const { exclude, outputFileExtension, outputBuildFolder, outputWorkFolder, ...options } = config;
  return { ...options, external: exclude };
}

module.exports.buildDefines = buildDefines;
module.exports.esbuildOnly = esbuildOnly;
module.exports.resolveReleaseId = resolveReleaseId;
module.exports.lazyLoggerCrypto = lazyLoggerCrypto;
