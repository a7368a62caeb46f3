import { describe, expect, it } from 'vitest';
import { formatSlowest, slowestFiles } from '../reporters/slowest-files.ts';

const times = [
  { file: 'tests/unit/a.test.ts', seconds: 0.2 },
  { file: 'tests/integration/deploy-moto.test.ts', seconds: 115.64 },
  { file: 'tests/integration/sandbox.test.ts', seconds: 86.7 },
  { file: 'tests/integration/b.test.ts', seconds: 0.2 },
];

describe('the slowest test files', () => {
  it('lists the slowest first, ties by path, and no more than asked', () => {
    // Act
    const slowest = slowestFiles(times, 3);
    // Assess
    expect(slowest.map(({ file }) => file)).toStrictEqual([
      'tests/integration/deploy-moto.test.ts',
      'tests/integration/sandbox.test.ts',
      'tests/integration/b.test.ts',
    ]);
  });

  it('prints a heading and one line a file with its seconds to one decimal', () => {
    // Act
    const table = formatSlowest(times, 2);
    // Assess
    expect(table.split('\n')).toStrictEqual([
      'The 2 slowest test files (setup, hooks and tests):',
      '  115.6 s  tests/integration/deploy-moto.test.ts',
      '   86.7 s  tests/integration/sandbox.test.ts',
    ]);
  });

  it('lists ten by default', () => {
    // Prepare
    const many = Array.from({ length: 12 }, (_, i) => ({ file: `f${i}`, seconds: i }));
    // Act
    const slowest = slowestFiles(many);
    // Assess
    expect(slowest).toHaveLength(10);
    expect(slowest[0]).toStrictEqual({ file: 'f11', seconds: 11 });
  });
});
