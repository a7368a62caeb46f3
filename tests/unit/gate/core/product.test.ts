import { describe, expect, it } from 'vitest';
import manifest from '../../../../packages/smoke-gate/package.json' with { type: 'json' };
import { CLI_NAME, PRODUCT } from '../../../../packages/smoke-gate/src/core/product.ts';

describe('the product’s one name', () => {
  it('is a bin of the package, beside petsage-smoke, both the same program', () => {
    const bins = manifest.bin as Record<string, string>;
    expect(bins[CLI_NAME]).toBe('bin/petsage-smoke.js');
    expect(bins['petsage-smoke']).toBe(bins[CLI_NAME]);
  });

  it('names no service in the headings', () => {
    expect(PRODUCT).not.toMatch(/petsage/i);
  });
});
