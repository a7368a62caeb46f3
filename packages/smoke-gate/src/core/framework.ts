// What the whole gate may know of the framework: its logger and the error that sets the command's
// exit code. The framework's own object (plugin/serverless-like.ts) stays in plugin/.

/** The framework's logger (the plugin's third constructor argument). */
export interface PluginLog {
  notice(message: string): void;
  success?(message: string): void;
  error?(message: string): void;
}

/** Thrown to make the serverless command exit non-zero; the framework prints the message. */
export class SmokeTestFailedError extends Error {
  override name = 'SmokeTestFailedError';
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}
