import { describe, expect, it } from 'vitest';
import * as own from '../../../../lib/contract.ts';
import { PETSAGE_CONTRACT, petsageSmokeTest } from '../../../helpers/petsage-contract.ts';

describe('this service’s contract in serverless.yml custom.smokeTest', () => {
  it('holds every name equal to the function’s own (lib/contract.ts)', () => {
    // Act
    const { response, logLine } = PETSAGE_CONTRACT;
    // Assess
    expect(PETSAGE_CONTRACT.path).toBe(own.DEFAULT_HEALTH_PATH);
    expect(response.contentType).toBe(own.HEALTH_JSON);
    expect(response.required).toStrictEqual([...own.HEALTH_BODY_FIELDS]);
    expect(logLine.json).toStrictEqual({ event: own.SMOKE_LOG_EVENT, level: own.SMOKE_LOG_LEVEL });
    expect(logLine.required).toStrictEqual([...own.SMOKE_LINE_REQUIRED_KEYS]);
    expect(logLine.formats).toStrictEqual(['stdout-json']);
  });

  it('names the route heartbeat’s marker and the failure event as the function writes them', () => {
    // Act
    const { monitoring } = petsageSmokeTest() as {
      monitoring: { routeLine: { header: unknown; values: string[] }; failureLine: unknown };
    };
    // Assess
    expect(monitoring.routeLine.header).toStrictEqual({
      name: own.ROUTE_HEARTBEAT_HEADER,
      value: own.ROUTE_HEARTBEAT_MARKER,
    });
    expect(monitoring.routeLine.values).toContain(own.ROUTE_HEARTBEAT_MARKER);
    expect(monitoring.failureLine).toStrictEqual({ event: own.SMOKE_FAILED_LOG_EVENT });
  });
});
