/**
 * The rollbacks the gate itself runs (the framework's own `rollback`, spawned after a failed
 * verification), known by the command's options object while they run: the plugin's rollback
 * hook verifies every other rollback, and leaves these to the gate that runs them.
 */
const running = new WeakSet<object>();

/** Runs `rollback` as the gate's own: {@link isGateRollback} is true for `cliOptions` meanwhile. */
export async function asGateRollback<T>(
  cliOptions: object,
  rollback: () => Promise<T>,
): Promise<T> {
  running.add(cliOptions);
  try {
    return await rollback();
  } finally {
    running.delete(cliOptions);
  }
}

/** True while the gate's own rollback runs for this command. */
export const isGateRollback = (cliOptions: object): boolean => running.has(cliOptions);
