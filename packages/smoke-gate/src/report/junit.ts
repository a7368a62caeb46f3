import { writeFile } from 'node:fs/promises';
import { CLI_NAME } from '../core/product.ts';
import { safeMessage } from '../core/safe-text.ts';
import type { VerifyReport } from '../verification/verify-deployment.ts';

/** Escapes text for XML 1.0 and drops what XML 1.0 cannot carry at all. */
export const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '',
    );

/** A JUnit testcase. */
export interface JUnitCase {
  name: string;
  ok: boolean;
  problems: string[];
  timeSeconds: number;
}

/** One testsuite: its XML, and its counts for the document's totals. */
interface JUnitSuite {
  xml: string;
  tests: number;
  failures: number;
  elapsedMs: number;
}

/** A testsuite with one testcase per step. */
function junitSuite(
  suiteName: string,
  cases: JUnitCase[],
  elapsedMs: number,
  properties: Record<string, string> = {},
): JUnitSuite {
  const failures = cases.filter((c) => !c.ok).length;
  const time = (elapsedMs / 1000).toFixed(3);
  const body = cases
    .map((c) => {
      const open = `    <testcase classname="${CLI_NAME}.verify" name="${xml(c.name)}" time="${c.timeSeconds.toFixed(3)}"`;
      if (c.ok) return `${open}/>`;
      const message = xml(c.problems[0] ?? 'failed');
      return `${open}>\n      <failure message="${message}">${xml(c.problems.join('\n'))}</failure>\n    </testcase>`;
    })
    .join('\n');
  const props = Object.entries(properties)
    .map(([name, value]) => `<property name="${xml(name)}" value="${xml(value)}"/>`)
    .join('');
  return {
    xml: [
      `  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}" time="${time}">`,
      `    <properties>${props}</properties>`,
      body,
      '  </testsuite>',
    ].join('\n'),
    tests: cases.length,
    failures,
    elapsedMs,
  };
}

/** The JUnit document around its suites; `elapsedMs` is the run's (suites may overlap). */
function junitDocument(suites: JUnitSuite[], elapsedMs: number): string {
  const sum = (key: 'tests' | 'failures') => suites.reduce((total, s) => total + s[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${CLI_NAME}" tests="${sum('tests')}" failures="${sum('failures')}" time="${(elapsedMs / 1000).toFixed(3)}">`,
    ...suites.map((suite) => suite.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

/** JUnit XML for CI dashboards: one suite, one testcase per step. */
export function formatJUnitSuite(
  suiteName: string,
  cases: JUnitCase[],
  elapsedMs: number,
  properties: Record<string, string> = {},
): string {
  return junitDocument([junitSuite(suiteName, cases, elapsedMs, properties)], elapsedMs);
}

/** The JUnit cases of one verification: the route, then the log line. */
export function junitCases(report: VerifyReport, prefix = ''): JUnitCase[] {
  return [
    {
      name: `${prefix}route answers the smoke-test contract`,
      ok: report.http.ok,
      problems: report.http.problems,
      timeSeconds: (report.http.latencyMs ?? 0) / 1000,
    },
    {
      name: `${prefix}log line reaches ${report.logSource}`,
      ok: report.log.found,
      problems: [...report.log.problems, ...report.hints],
      timeSeconds: report.log.waitedMs / 1000,
    },
  ];
}

/** The log line's lag, as JUnit properties, where it is known. */
const lagProperties = (report: VerifyReport): Record<string, string> => ({
  ...(report.log.foundAfterMs === null ? {} : { foundAfterMs: String(report.log.foundAfterMs) }),
  ...(report.log.ingestionDelayMs === null
    ? {}
    : { ingestionDelayMs: String(report.log.ingestionDelayMs) }),
});

/** JUnit XML with one testcase per step. */
export function formatJUnit(report: VerifyReport): string {
  return formatJUnitSuite(`verify ${report.url}`, junitCases(report), report.elapsedMs, {
    correlationId: report.correlationId,
    verdict: report.verdict,
    ...lagProperties(report),
  });
}

/** One target of a run over many, as JUnit needs it (a FleetEntry). */
interface JUnitTarget {
  name: string;
  region: string | null;
  /** The target's AWS account, a property of its suite when known. */
  account?: string | null;
  /** `interrupted` becomes the suite's verdict property. */
  verdict?: string;
  error: string | null;
  report: VerifyReport | null;
}

/** JUnit for a run over many targets: one testsuite per target, named by the target. */
export function formatFleetJUnit(report: { targets: JUnitTarget[]; elapsedMs: number }): string {
  const suites = report.targets.map((entry) => {
    const name = `verify ${entry.name}${entry.region === null ? '' : ` (${entry.region})`}`;
    if (entry.report === null) {
      const problems = [entry.error ?? 'verification did not run'];
      return junitSuite(
        name,
        [{ name: 'verification runs', ok: false, problems, timeSeconds: 0 }],
        0,
        {
          ...(entry.verdict === 'interrupted' ? { verdict: entry.verdict } : {}),
          ...(typeof entry.account === 'string' ? { account: entry.account } : {}),
        },
      );
    }
    return junitSuite(name, junitCases(entry.report), entry.report.elapsedMs, {
      ...(typeof entry.account === 'string' ? { account: entry.account } : {}),
      correlationId: entry.report.correlationId,
      verdict: entry.report.verdict,
      ...lagProperties(entry.report),
    });
  });
  return junitDocument(suites, report.elapsedMs);
}

/** JUnit XML for a run that could not verify: one failing testcase saying why. */
export function formatJUnitError(message: string, properties: Record<string, string> = {}): string {
  return formatJUnitSuite(
    'verify',
    [{ name: 'verification runs', ok: false, problems: [message], timeSeconds: 0 }],
    0,
    properties,
  );
}

/**
 * The JUnit file of one verification, written once its caller is done: the report's cases, or
 * the one-line error that stopped it. Returns the one line to print when it cannot be written
 * (the verdict stands), else undefined.
 */
export async function writeJUnitFile(
  path: string | undefined,
  outcome: { report?: VerifyReport | undefined; error?: string | undefined },
): Promise<string | undefined> {
  if (path === undefined) return undefined;
  const xml =
    outcome.report !== undefined
      ? formatJUnit(outcome.report)
      : formatJUnitError(outcome.error ?? 'verification did not run');
  try {
    await writeFile(path, xml);
    return undefined;
  } catch (error) {
    return `cannot write --junit file: ${safeMessage(error)}`;
  }
}
