import { vi } from 'vitest';

/** Captures what is written to process.stdout, as the Lambda runtime would ship it. */
export function captureStdout() {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  });
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
    restore: () => spy.mockRestore(),
  };
}
