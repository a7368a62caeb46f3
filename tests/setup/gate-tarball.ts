// Vitest global setup: the gate packed once per run (`npm pack`, as `npm publish` would upload
// it), before any suite starts, for every suite that installs it as another team would. Packing
// in each suite ran the package's `prepack` build beside suites reading its dist/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type PackedGate, packGate } from '../../harness/project/example-copies.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The gate packed for this run: `inject('packedGate')`. */
    packedGate: PackedGate;
  }
}

/** The folder the gate was packed into. */
let dir: string | undefined;

/** Packs the gate into a folder of this run's own. */
export async function setup(project: TestProject): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'petsage-gate-pack-'));
  project.provide('packedGate', packGate(dir));
}

/** Removes the packed gate. */
export async function teardown(): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}
