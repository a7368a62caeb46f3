import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJUnit, writeJUnitFile } from '../../../../packages/smoke-gate/src/report/junit.ts';
import { failedReport as report } from '../../../helpers/verify-report.ts';

describe('formatJUnit', () => {
  it('times the log step by how long the search waited, and carries the lag when known', () => {
    // Act
    const xml = formatJUnit({
      ...report,
      log: {
        ...report.log,
        found: true,
        foundAfterMs: 14_600,
        ingestionDelayMs: 900,
        waitedMs: 14_612,
      },
    });
    // Assess
    expect(xml).toMatch(/name="log line reaches [^"]+" time="14\.612"/);
    expect(xml).toContain('<property name="foundAfterMs" value="14600"/>');
    expect(xml).toContain('<property name="ingestionDelayMs" value="900"/>');
  });

  it('writes JUnit XML with one testcase per step, escaped', () => {
    const xml = formatJUnit(report);
    expect(xml).toMatch(/<testsuites name="smoke-gate" tests="2" failures="1"/);
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain('&amp; &lt;friends&gt;');
  });
});

describe('writeJUnitFile', () => {
  // Made in beforeAll, not on import: a run that filters these tests out leaves nothing behind.
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'junit-file-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the report’s cases', async () => {
    // Prepare
    const path = join(dir, 'verdict.xml');
    // Act
    const problem = await writeJUnitFile(path, { report });
    // Assess
    expect(problem).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(formatJUnit(report));
  });

  it('writes the one-line error when there is no report', async () => {
    // Prepare
    const path = join(dir, 'error.xml');
    // Act
    await writeJUnitFile(path, { error: 'stack petsage-smoke-test-dev does not exist' });
    // Assess
    expect(readFileSync(path, 'utf8')).toMatch(
      /<failure[^>]*message="stack petsage-smoke-test-dev does not exist"/,
    );
  });

  it('says in one line when it cannot write, and writes nothing without a path', async () => {
    // Act
    const problem = await writeJUnitFile(join(dir, 'no-such-folder', 'x.xml'), { report });
    const none = await writeJUnitFile(undefined, { report });
    // Assess
    expect(problem).toMatch(/^cannot write --junit file: ENOENT/);
    expect(none).toBeUndefined();
  });
});
