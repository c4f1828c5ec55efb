import { PROVIDERS } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { createLocalProviders, findLocalProvider } from './registry.ts';

describe('createLocalProviders', () => {
  it('has a provider for every category/provider pair core knows, and no duplicates', () => {
    const providers = createLocalProviders();
    for (const spec of PROVIDERS) {
      expect(
        findLocalProvider(spec.category, spec.provider, providers),
        `${spec.category}/${spec.provider}`,
      ).toBeDefined();
    }
    const pairs = providers.flatMap((p) => p.categories.map((c) => `${c}/${p.provider}`));
    expect(new Set(pairs).size).toBe(pairs.length);
  });
});

describe('findLocalProvider', () => {
  it('finds by category and provider, and nothing for an unknown pair', () => {
    expect(findLocalProvider('Compute', 'Commands')?.provider).toBe('Commands');
    expect(findLocalProvider('Deploy', 'Commands')).toBeUndefined();
  });
});
