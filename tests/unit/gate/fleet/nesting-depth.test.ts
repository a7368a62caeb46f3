import { describe, expect, it } from 'vitest';
import { nestingDepth } from '../../../../packages/smoke-gate/src/fleet/nesting-depth.ts';

describe('nestingDepth: how deep a targets file nests, before it is parsed', () => {
  it.each([
    ['a flat mapping', 'targets: x\n', 0],
    ['a targets file', 'targets:\n  - { stage: dev }\n  - stage: prod\n    region: eu-west-1\n', 2],
    ['flow brackets', '{"targets": [{"stage": [[["x"]]]}]}', 6],
    ['closing brackets', '[[]] [[]]', 2],
    ['brackets in double quotes', '"[[[[[[" : x', 0],
    ['brackets in single quotes', "'{{{{{{' : x", 0],
    ['an escaped quote inside double quotes', '"a\\"[[[[" : x', 0],
    ['brackets in a comment', '# [[[[[[[[\nx: 1', 0],
    ['a comment at the end', 'x: [1] # {{{{', 1],
    ['block indentation', 'a:\n  b:\n    c:\n      d: 1\n', 3],
    ['nested list entries on one line', '- - - - x\n', 4],
    ['question-mark keys', '? - x\n', 2],
    ['a line after a quoted newline', '"a\nb"\n    x: 1\n', 2],
    ['more closing than opening brackets', ']]]] [x]', 1],
  ])('counts %s', (_what, text, depth) => {
    expect(nestingDepth(text, 16)).toBe(depth);
  });

  it('stops counting once past the limit', () => {
    expect(nestingDepth(`${'['.repeat(100)}`, 16)).toBe(17);
  });
});
