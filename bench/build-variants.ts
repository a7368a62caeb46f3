// Builds the variants side by side: ours (from the `serverless package` zip), floor, bare,
// typical, and the levers tried on ours.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { runtimeSettingsFrom } from '../harness/lambda/lambda-runtime.ts';
import { healthFunction, packageService } from '../harness/project/packaged.ts';
import { type Built, type Lever, log, OUT, ROOT, VARIANTS, type Variant } from './settings.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
/** The project's esbuild config, as serverless-esbuild and vitest read it. */
export const esbuildConfig = require('../esbuild.config.cjs') as ((
  sls?: unknown,
) => Record<string, unknown>) & {
  buildDefines: () => Record<string, string>;
  esbuildOnly: (config: Record<string, unknown>) => Record<string, unknown>;
};

/** esbuild options exactly as serverless-esbuild gets them, minus the plugin-only keys. */
const ourEsbuildOptions = () => {
  return {
    ...esbuildConfig.esbuildOnly(esbuildConfig({})),
    target: 'node24',
    platform: 'node' as const,
  };
};

const packagesIn = (metafile: Metafile): string[] =>
  [
    ...new Set(
      Object.keys(metafile.inputs)
        .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1])
        .filter((name): name is string => name !== undefined),
    ),
  ].sort();

/** Builds every variant and lever into bench/.build; returns where they are and their sizes. */
export async function buildVariants() {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  log('building: serverless package (ours)...');
  const pkg = await packageService(join(OUT, 'package'), 'bench');
  const settings = runtimeSettingsFrom(healthFunction(pkg.template));
  const built = {} as Record<Variant | Lever, Built>;
  built.ours = {
    taskRoot: pkg.taskRoot,
    handler: settings.handler,
    bundle: join(pkg.taskRoot, 'functions/health.mjs'),
  };
  const metafiles: Partial<Record<Variant, Metafile>> = {};
  const ours = await build({
    ...ourEsbuildOptions(),
    entryPoints: [join(ROOT, 'functions/health.ts')],
    outfile: join(OUT, 'ours-metafile.mjs'),
    metafile: true,
  });
  metafiles.ours = ours.metafile;
  for (const name of ['floor', 'bare'] as const) {
    const bundle = join(OUT, name, 'index.mjs');
    const result = await build({
      ...ourEsbuildOptions(),
      entryPoints: [join(ROOT, `bench/variants/${name}.ts`)],
      outfile: bundle,
      metafile: true,
    });
    metafiles[name] = result.metafile;
    built[name] = { taskRoot: join(OUT, name), handler: 'index.handler', bundle };
  }
  const typicalBundle = join(OUT, 'typical', 'index.cjs');
  const typical = await build({
    entryPoints: [join(ROOT, 'bench/variants/typical.ts')],
    outfile: typicalBundle,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: false,
    define: esbuildConfig.buildDefines(),
    metafile: true,
  });
  metafiles.typical = typical.metafile;
  built.typical = {
    taskRoot: join(OUT, 'typical'),
    handler: 'index.handler',
    bundle: typicalBundle,
  };

  // Lever 1, measured to show what it buys: ours with the Logger's eager node:crypto import.
  const withoutPlugin = { ...ourEsbuildOptions(), plugins: [] };
  const eagerDir = join(OUT, 'ours-eager-crypto');
  await build({
    ...withoutPlugin,
    entryPoints: [join(ROOT, 'functions/health.ts')],
    outfile: join(eagerDir, 'functions/health.mjs'),
  });
  built['ours, eager node:crypto'] = {
    taskRoot: eagerDir,
    handler: settings.handler,
    bundle: join(eagerDir, 'functions/health.mjs'),
  };
  // Lever 2: V8's compile cache shipped with the zip (NODE_COMPILE_CACHE pointing into the task
  // root, filled at build time by importing the bundle once and exiting normally).
  const cachedDir = join(OUT, 'ours-compile-cache');
  await cp(pkg.taskRoot, cachedDir, { recursive: true });
  const cacheEnv = { NODE_COMPILE_CACHE: join(cachedDir, '.node-compile-cache') };
  await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(join(cachedDir, 'functions/health.mjs'))})`,
    ],
    { env: { ...process.env, ...cacheEnv } },
  );
  built['ours + V8 compile cache'] = {
    taskRoot: cachedDir,
    handler: settings.handler,
    bundle: join(cachedDir, 'functions/health.mjs'),
    environment: cacheEnv,
  };

  const sizes = {} as Record<Variant, { bytes: number; gzipBytes: number; packages: string[] }>;
  for (const name of VARIANTS) {
    const code = await readFile(built[name].bundle);
    sizes[name] = {
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      packages: packagesIn(metafiles[name] as Metafile),
    };
  }
  return { built, sizes, settings };
}
