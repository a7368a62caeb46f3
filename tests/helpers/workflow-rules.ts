/** A GitHub Actions workflow, as far as the rules below read it. */
export interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<
    string,
    {
      if?: string;
      needs?: string | string[];
      environment?: string;
      concurrency?: { group: string; 'cancel-in-progress'?: boolean };
      permissions?: Record<string, string>;
      steps: { uses?: string; run?: string; with?: Record<string, unknown>; env?: object }[];
    }
  >;
}

/** Commands that run code from the test suite or from third-party install scripts. */
const RUNS_UNTRUSTED_CODE = [
  /\bnpm (test|t|run|install|i|ci)\b(?!.*--ignore-scripts)/,
  /\bnpx\b/,
  /\bpip3? install\b/,
  /\bvitest\b/,
];

/** A step that pins npm to one version (the lockfile's format and install rules are npm 11's). */
const PINS_NPM = /^npm install --global --ignore-scripts npm@\d+\.\d+\.\d+$/;

/** A step that runs the smoke gate: the framework (its plugin) or the gate's CLI. */
const RUNS_THE_GATE =
  /serverless(\.js)? (deploy|rollback|smoke)\b|petsage-smoke|smoke-gate\/dist\//;
/** A step that compiles the gate package (its JavaScript is not in the repository). */
const BUILDS_THE_GATE =
  /tsc -p packages\/smoke-gate\/tsconfig\.build\.json|\bnpm (run build|test)\b/;

/**
 * The supply-chain rules a security reviewer holds the deploy workflow to, as one-line problems:
 * a job that can mint an AWS token (`id-token: write`) runs no tests, no third-party install
 * script and no npx; every action is pinned to a commit; no `${{ inputs.* }}` or event text is
 * pasted into a shell script; every checkout drops its token. And a job that runs the gate builds
 * its package first, and a job that runs npm pins npm's version first.
 */
export function workflowProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    const mintsToken = job.permissions?.['id-token'] === 'write';
    let built = false;
    let npmPinned = false;
    for (const step of job.steps) {
      if (step.uses !== undefined && !/^[^@]+@[0-9a-f]{40}$/.test(step.uses)) {
        problems.push(`${name}: action not pinned to a commit: ${step.uses}`);
      }
      if (
        step.uses?.startsWith('actions/checkout@') &&
        step.with?.['persist-credentials'] !== false
      ) {
        problems.push(`${name}: checkout keeps its token (set persist-credentials: false)`);
      }
      const run = step.run ?? '';
      if (/\$\{\{\s*(inputs\.|github\.event\.)/.test(run)) {
        problems.push(`${name}: an input is pasted into run: (pass it through env:)`);
      }
      if (mintsToken && RUNS_UNTRUSTED_CODE.some((pattern) => pattern.test(run))) {
        problems.push(`${name}: can mint the AWS token and runs tests or install scripts: ${run}`);
      }
      if (RUNS_THE_GATE.test(run) && !built) {
        problems.push(`${name}: runs the gate before building its package: ${run}`);
      }
      built ||= BUILDS_THE_GATE.test(run);
      if (/\bnpm\b/.test(run) && !PINS_NPM.test(run) && !npmPinned) {
        problems.push(`${name}: runs npm before pinning its version: ${run}`);
      }
      // One line per job: the first npm step before the pin says it.
      npmPinned ||= /\bnpm\b/.test(run);
    }
  }
  return problems;
}
