import { appendFile } from 'node:fs/promises';
import { CLI_NAME } from '../core/product.ts';
import { safeMessage } from '../core/safe-text.ts';

/**
 * Appends Markdown (made only when needed) to GitHub Actions' job summary when `GITHUB_STEP_SUMMARY` names its file; does
 * nothing elsewhere. A failed write is one notice and never changes the verdict.
 */
export async function appendJobSummary(
  env: NodeJS.ProcessEnv,
  markdown: () => string,
  onNotice: (text: string) => void,
): Promise<void> {
  const path = env.GITHUB_STEP_SUMMARY;
  if (path === undefined || path === '') return;
  try {
    await appendFile(path, markdown());
  } catch (error) {
    onNotice(`${CLI_NAME}: could not write the job summary: ${safeMessage(error, 160)}`);
  }
}
