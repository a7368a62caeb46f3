// Copies of examples/plain-js-service for the suites that deploy it to moto, with the gate as
// another team installs it: packed (`npm pack`) and installed from the tarball with npm.

import { spawnSync } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_DIR } from './project.ts';
import { applyEdits } from './project-copy.ts';

const EXAMPLE = join(PROJECT_DIR, 'examples/plain-js-service');

/** npm on this process's Node, quiet; throws with npm's own words when it fails. */
export function npm(args: string[], cwd: string): string {
  const run = spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  if (run.status !== 0) throw new Error(`npm ${args[0]} failed in ${cwd}: ${run.stderr}`);
  return run.stdout;
}

/** The packed gate: the tarball's path and the paths of the files in it. */
export interface PackedGate {
  tarball: string;
  files: string[];
}

/** Packs the gate (what `npm publish` would upload) into `dir`. */
export function packGate(dir: string): PackedGate {
  const out = npm(
    ['pack', '--json', '--pack-destination', dir],
    join(PROJECT_DIR, 'packages/smoke-gate'),
  );
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  if (packed === undefined) throw new Error(`npm pack printed no package: ${out}`);
  return { tarball: join(dir, packed.filename), files: packed.files.map((file) => file.path) };
}

/**
 * Installs the packed gate into a copy, without the example's devDependencies: the suites run a
 * framework of their own (this repository's osls, or Serverless v3), and v3 would hand the run to
 * an osls it found in the copy.
 */
export async function installGate(copy: string, tarball: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(copy, 'package.json'), 'utf8'));
  await writeFile(join(copy, 'package.json'), JSON.stringify({ ...manifest, devDependencies: {} }));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], copy);
}

/** The gate as installed in another copy: its package.json and node_modules copied over. */
export async function copyGateFrom(copy: string, from: string): Promise<void> {
  await cp(join(from, 'package.json'), join(copy, 'package.json'));
  await cp(join(from, 'node_modules'), join(copy, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
  });
}

/**
 * A broken install of the gate in a copy: the module that runs the verification is gone, so the
 * gate breaks after the stack deployed (as a crash would), not with a verdict.
 */
export const breakGateInstall = (copy: string): Promise<void> =>
  rm(join(copy, 'node_modules/@petsage/smoke-gate/dist/gate/serverless-smoke.js'));

/** One text replaced in a file of the copy (the replaced text must be there). */
export interface CopyEdit {
  file: string;
  from: string;
  to: string;
}

/**
 * A copy of the example in `dir/name`, its route pointed at the route stand-in (moto creates no
 * HTTP API: custom.smokeTest.url takes `--param standInUrl=`), with `edits` applied.
 */
export async function exampleCopy(
  dir: string,
  name: string,
  edits: CopyEdit[] = [],
): Promise<string> {
  const copy = join(dir, name);
  await cp(EXAMPLE, copy, { recursive: true });
  const all: CopyEdit[] = [
    {
      file: 'serverless.yml',
      from: '  smokeTest:\n',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a serverless.yml variable, not JS.
      to: '  smokeTest:\n    url: ${param:standInUrl}/ping\n',
    },
    ...edits,
  ];
  await applyEdits(copy, all);
  return copy;
}

/** The version a broken deploy ships: its answer breaks one configured value (pong: false). */
export const BREAK_PONG: CopyEdit = {
  file: 'handler.js',
  from: 'JSON.stringify({ pong: true,',
  to: 'JSON.stringify({ pong: false,',
};

/**
 * The example in the traffic mode (docs/traffic.md), its candidate stage at the route stand-in
 * (moto creates no HTTP API stage): `/candidate/ping`.
 */
export const TRAFFIC_AT_STAND_IN: CopyEdit = {
  file: 'serverless.yml',
  from: '  smokeTest:\n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a serverless.yml variable, not JS.
  to: '  smokeTest:\n    traffic:\n      candidateUrl: ${param:standInUrl}/candidate/ping\n',
};
