import { describe, expect, it } from 'vitest';
import * as functionContract from '../../../../lib/contract.ts';
import * as gateContract from '../../../../packages/smoke-gate/src/core/contract.ts';

describe('the contract the gate judges by', () => {
  it('holds every name equal to the function’s own', () => {
    // Prepare
    const ownValues = new Map(Object.entries(functionContract));
    // Act
    const differing = Object.entries(gateContract).filter(
      ([name, value]) => JSON.stringify(ownValues.get(name)) !== JSON.stringify(value),
    );
    // Assess
    expect(Object.keys(gateContract).length).toBeGreaterThan(5);
    expect(differing).toStrictEqual([]);
  });
});
