import { vi } from 'vitest';

const asText = (chunk: unknown): string =>
  typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();

/**
 * Captures what the function writes to stdout and stderr, in order, as the Lambda runtime ships
 * both to CloudWatch Logs (Powertools writes ERROR lines to stderr).
 */
export function captureOutput() {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      chunks.push(asText(chunk));
      return true;
    }),
  );
  const rawLines = (): string[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '');
  return {
    rawLines,
    /** Every line parsed as JSON; throws if a line is not one JSON object. */
    lines: (): Record<string, unknown>[] =>
      rawLines().map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => {
      chunks.length = 0;
    },
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
