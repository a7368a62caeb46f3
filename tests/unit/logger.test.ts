import { describe, expect, it } from 'vitest';
import { createLogger, keepsSmokeLine, parseLogLevel } from '../../lib/logger.ts';
import { captureOutput } from '../helpers/stdout.ts';

describe('parseLogLevel', () => {
  it.each([
    ['debug', 'DEBUG'],
    [' Info ', 'INFO'],
    ['TRACE', 'TRACE'],
    ['warn', 'WARN'],
  ])('reads %j as %s', (value, level) => {
    expect(parseLogLevel(value)).toBe(level);
  });

  it.each(['constructor', 'toString', '__proto__', 'verbose', '', undefined])(
    'refuses %j, which Powertools alone would take or ignore',
    (value) => {
      expect(parseLogLevel(value)).toBeUndefined();
    },
  );
});

describe('createLogger', () => {
  it('logs INFO lines when POWERTOOLS_LOG_LEVEL is constructor', () => {
    // Prepare
    const output = captureOutput();
    try {
      // Act
      const logger = createLogger({ POWERTOOLS_LOG_LEVEL: 'constructor' });
      logger.info('smoke test executed');
      // Assess
      expect(output.lines()).toStrictEqual([
        expect.objectContaining({ level: 'INFO', message: 'smoke test executed' }),
      ]);
    } finally {
      output.restore();
    }
  });

  it('says once at init when Lambda application log level hides the smoke line', () => {
    // Prepare
    const output = captureOutput();
    try {
      // Act
      createLogger({ AWS_LAMBDA_LOG_LEVEL: 'WARN' });
      // Assess
      expect(output.lines()).toStrictEqual([
        expect.objectContaining({ event: 'smoke_test_line_hidden', lambda_log_level: 'WARN' }),
      ]);
    } finally {
      output.restore();
    }
  });

  it('keeps the line at TRACE, DEBUG and INFO only', () => {
    expect(
      ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'].map((l) => keepsSmokeLine(parseLogLevel(l))),
    ).toStrictEqual([true, true, true, false, false]);
  });
});
