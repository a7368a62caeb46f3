import { describe, expect, it } from 'vitest';
import { stampedFunction } from '../../../../packages/smoke-gate/src/deployments/build-stamp.ts';
import {
  ciRunFrom,
  type DeploymentRecord,
  DIRECTORY,
  describeDeployment,
  parseRecord,
  RECORD_MAX_BYTES,
  sha256,
} from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';

const DIR = '1795435817943-2026-11-23T12:10:17.943Z';
const HASH = sha256(new TextEncoder().encode('zip'));

const record: DeploymentRecord = {
  schema: 1,
  deployment: DIR,
  verdict: 'verified',
  at: '2026-11-23T12:10:40.000Z',
  commit: '0123456789abcdef0123456789abcdef01234567',
  version: '1.0.0',
  ci: { server: 'https://github.com', repository: 'petsage/smoke', runId: '42' },
  artifacts: { 'health.zip': { sha256: HASH, versionId: 'v1' } },
  correlationId: 'smoke-1',
  rolledBackTo: null,
  note: null,
};

describe('parseRecord at its limits', () => {
  it('reads a record of exactly the size cap, 20 artifacts, and a 1024-character version id', () => {
    // Prepare
    const artifacts = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [
        `a${i}.zip`,
        { sha256: HASH, versionId: i === 0 ? 'v'.repeat(1024) : null },
      ]),
    );
    const base = JSON.stringify({ ...record, artifacts, note: '' });
    const text = JSON.stringify({
      ...record,
      artifacts,
      note: 'x'.repeat(RECORD_MAX_BYTES - Buffer.byteLength(base)),
    });
    // Act
    const parsed = parseRecord(text, DIR);
    // Assess
    expect(Buffer.byteLength(text)).toBe(RECORD_MAX_BYTES);
    expect('record' in parsed).toBe(true);
  });
});

describe('ciRunFrom, anchored', () => {
  const env = {
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_RUN_ID: '42',
  };

  it('reads the GitHub Actions run', () => {
    expect(ciRunFrom(env)).toStrictEqual({
      server: 'https://github.com',
      repository: 'o/r',
      runId: '42',
    });
  });

  it.each([
    ['no server', { GITHUB_SERVER_URL: undefined }],
    ['a server with junk before it', { GITHUB_SERVER_URL: 'xhttps://github.com' }],
    ['a server with a path after it', { GITHUB_SERVER_URL: 'https://github.com/evil' }],
    ['no repository', { GITHUB_REPOSITORY: undefined }],
    ['a repository with junk before it', { GITHUB_REPOSITORY: ' o/r' }],
    ['a repository with a path after it', { GITHUB_REPOSITORY: 'o/r/x' }],
    ['no run id', { GITHUB_RUN_ID: undefined }],
    ['a run id with junk before it', { GITHUB_RUN_ID: 'a42' }],
    ['a run id with junk after it', { GITHUB_RUN_ID: '42a' }],
  ])('knows no run with %s', (_what, change) => {
    expect(ciRunFrom({ ...env, ...change })).toBeNull();
  });
});

describe('describeDeployment', () => {
  it('names the deployment and its short commit, or says the commit is unknown', () => {
    expect(describeDeployment({ directory: DIR, commit: '0123456789abcdef', version: null })).toBe(
      `${DIR} (commit 0123456789ab)`,
    );
    expect(describeDeployment({ directory: DIR, commit: null, version: null })).toBe(
      `${DIR} (commit unknown)`,
    );
  });
});

describe('parseRecord', () => {
  it('reads a rolled-back record with the deployment it returned to, and a note cut and escaped', () => {
    // Prepare
    const back = {
      ...record,
      verdict: 'rolled-back',
      rolledBackTo: '1795435700000-2026-11-23T12:08:20.000Z',
      note: 'why\u001b[2J',
    };
    // Act
    const parsed = parseRecord(JSON.stringify(back), DIR);
    // Assess
    expect(parsed).toMatchObject({
      record: { rolledBackTo: back.rolledBackTo, note: 'why\\u{1b}[2J' },
    });
  });

  it('reads the function version a traffic-mode record names', () => {
    // Prepare
    const functionVersion = { number: '12', codeSha256: `${'Z'.repeat(43)}=` };
    // Act
    const parsed = parseRecord(JSON.stringify({ ...record, functionVersion }), DIR);
    // Assess
    expect(parsed).toMatchObject({ record: { functionVersion } });
  });

  it('reads a record of this deployment', () => {
    expect(parseRecord(JSON.stringify(record), DIR)).toStrictEqual({
      record: { ...record, scope: null, signature: null },
    });
  });

  it.each([
    ['huge', 'x'.repeat(RECORD_MAX_BYTES + 1), /larger than/],
    ['not JSON', '{"schema":1,', /not JSON/],
    ['of another schema', JSON.stringify({ ...record, schema: 2 }), /not a schema 1 record/],
    [
      'for another deployment',
      JSON.stringify({ ...record, deployment: 'x' }),
      /another deployment/,
    ],
    ['with an unknown verdict', JSON.stringify({ ...record, verdict: 'great' }), /unknown verdict/],
    ['with escapes in the commit', JSON.stringify({ ...record, commit: 'a\u001b[2Jb' }), /commit/],
    [
      'with a bad hash',
      JSON.stringify({ ...record, artifacts: { 'health.zip': { sha256: 'x', versionId: null } } }),
      /artifacts/,
    ],
    [
      'with a hostile artifact name',
      JSON.stringify({ ...record, artifacts: { '../x': { sha256: HASH, versionId: null } } }),
      /artifacts/,
    ],
    [
      'with a forged CI run',
      JSON.stringify({ ...record, ci: { server: 'javascript:x', repository: 'a/b', runId: '1' } }),
      /CI run/,
    ],
    ['an array', '[]', /not a schema 1 record/],
    [
      'timed with terminal escapes Date.parse would take',
      JSON.stringify({ ...record, at: 'Nov 23 2026 12:10:40 GMT (\u001b]0;owned\u0007)' }),
      /no valid time/,
    ],
    [
      'with one good and one bad artifact (every artifact is checked, not some)',
      JSON.stringify({
        ...record,
        artifacts: {
          'health.zip': { sha256: HASH, versionId: null },
          't.json': { sha256: 'not a hash', versionId: null },
        },
      }),
      /artifacts/,
    ],
    [
      'with more artifacts than a deployment has',
      JSON.stringify({
        ...record,
        artifacts: Object.fromEntries(
          Array.from({ length: 21 }, (_, i) => [`a${i}.zip`, { sha256: HASH, versionId: null }]),
        ),
      }),
      /artifacts/,
    ],
    [
      'timed at an impossible date of the right shape',
      JSON.stringify({ ...record, at: '2026-13-45T99:99:99.000Z' }),
      /no valid time/,
    ],
    [
      'rolled back to something that is not a deployment',
      JSON.stringify({ ...record, verdict: 'rolled-back', rolledBackTo: '../../etc' }),
      /rolledBackTo/,
    ],
    ['with a note that is not text', JSON.stringify({ ...record, note: { x: 1 } }), /note/],
    [
      'rolled back to a list that prints as a deployment',
      JSON.stringify({ ...record, verdict: 'rolled-back', rolledBackTo: [DIR] }),
      /rolledBackTo/,
    ],
    [
      'with a correlation id of the wrong shape',
      JSON.stringify({ ...record, correlationId: 'a b' }),
      /correlation id/,
    ],
    [
      'with a version id that is not text',
      JSON.stringify({ ...record, artifacts: { 'health.zip': { sha256: HASH, versionId: 7 } } }),
      /artifacts/,
    ],
    [
      'timed with junk after a valid time',
      JSON.stringify({ ...record, at: '2026-11-23T12:10:40.000Zjunk' }),
      /no valid time/,
    ],
    [
      'timed with junk before a valid time',
      JSON.stringify({ ...record, at: 'x2026-11-23T12:10:40.000Z' }),
      /no valid time/,
    ],
    ['timed with a number', JSON.stringify({ ...record, at: 1795435840000 }), /no valid time/],
    [
      'with a hash and junk after it',
      JSON.stringify({
        ...record,
        artifacts: { 'health.zip': { sha256: `${HASH}g`, versionId: null } },
      }),
      /artifacts/,
    ],
    [
      'with junk and a hash after it',
      JSON.stringify({
        ...record,
        artifacts: { 'health.zip': { sha256: `g${HASH}`, versionId: null } },
      }),
      /artifacts/,
    ],
    [
      'with a hash that is not text',
      JSON.stringify({ ...record, artifacts: { 'health.zip': { sha256: 7, versionId: null } } }),
      /artifacts/,
    ],
    [
      'with a version id longer than S3 makes',
      JSON.stringify({
        ...record,
        artifacts: { 'health.zip': { sha256: HASH, versionId: 'v'.repeat(1025) } },
      }),
      /artifacts/,
    ],
    ['with artifacts that are a list', JSON.stringify({ ...record, artifacts: [] }), /artifacts/],
    [
      'with an artifact that is not a mapping',
      JSON.stringify({ ...record, artifacts: { 'health.zip': 'x' } }),
      /artifacts/,
    ],
    ['with a commit that is not text', JSON.stringify({ ...record, commit: 7 }), /commit/],
    [
      'with a signature of the wrong shape',
      JSON.stringify({ ...record, scope: { service: 's' }, signature: { keyArn: 'x' } }),
      /signature of the wrong shape/,
    ],
    [
      'with a function version that is not a number',
      JSON.stringify({
        ...record,
        functionVersion: { number: '$LATEST', codeSha256: `${'Z'.repeat(43)}=` },
      }),
      /function version of the wrong shape/,
    ],
    [
      'with a function version carrying more',
      JSON.stringify({
        ...record,
        functionVersion: { number: '1', codeSha256: `${'Z'.repeat(43)}=`, extra: 1 },
      }),
      /function version of the wrong shape/,
    ],
    [
      'timed in another format',
      JSON.stringify({ ...record, at: 'Mon, 23 Nov 2026 12:10:40 GMT' }),
      /no valid time/,
    ],
  ])('ignores a record that is %s, saying why in one line', (_name, text, problem) => {
    const parsed = parseRecord(text, DIR);
    expect(parsed).toStrictEqual({ problem: expect.stringMatching(problem) });
  });
});

describe('ciRunFrom', () => {
  it('reads the GitHub Actions run', () => {
    expect(
      ciRunFrom({
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_RUN_ID: '7',
      }),
    ).toStrictEqual({ server: 'https://github.com', repository: 'o/r', runId: '7' });
  });

  it('knows no run outside CI or with odd values', () => {
    expect(ciRunFrom({})).toBeNull();
    expect(
      ciRunFrom({
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_RUN_ID: '7; rm',
      }),
    ).toBeNull();
  });
});

describe('stampedFunction', () => {
  it('reads the gate’s own stamp keys first, and the ones stacks were stamped with before', () => {
    // Act
    const both = stampedFunction({
      Fn: {
        Type: 'AWS::Lambda::Function',
        Metadata: {
          'smoke-gate:release': 'new',
          'smoke-gate:version': '2.0.0',
          'petsage:release': 'old',
          'petsage:version': '1.0.0',
        },
      },
    });
    // Assess
    expect([both.commit, both.version]).toStrictEqual(['new', '2.0.0']);
  });

  it("reads the function's code key and build stamp (an older stack's keys), and distrusts odd values", () => {
    // Act
    const stamped = stampedFunction({
      Log: { Type: 'AWS::Logs::LogGroup' },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'petsage:release': 'abc123', 'petsage:version': 'x\u001b[2J' },
        Properties: { Code: { S3Key: `serverless/s/dev/${DIR}/health.zip` } },
      },
    });
    // Assess
    expect(stamped).toStrictEqual({
      codeKey: `serverless/s/dev/${DIR}/health.zip`,
      functionName: undefined,
      commit: 'abc123',
      version: null,
    });
  });

  it.each([
    ['svc-dev-health', 'svc-dev-health'],
    ['svc dev; rm', undefined],
    [7, undefined],
  ])('reads the function name %j as %j', (name, expected) => {
    // Act
    const stamped = stampedFunction({
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: name } },
    });
    // Assess
    expect(stamped.functionName).toBe(expected);
  });
});

describe('DIRECTORY (one parser of the framework’s artifact directories)', () => {
  it('reads the framework’s own form, the epoch first', () => {
    // Prepare
    const at = new Date(Date.parse('2026-12-02T06:30:00.123Z'));
    const directory = `${at.getTime()}-${at.toISOString()}`;
    // Act
    const match = DIRECTORY.exec(directory);
    // Assess
    expect(match?.[1]).toBe(String(at.getTime()));
  });

  it.each([
    '17648-2026-12-02T06:30:00.123Z',
    '1764657000123-2026-12-02T06:30:00.123Z-extra',
    '1764657000123-2026-12-02 06:30:00',
    '../1764657000123-2026-12-02T06:30:00.123Z',
  ])('refuses %s', (directory) => {
    expect(DIRECTORY.test(directory)).toBe(false);
  });
});
