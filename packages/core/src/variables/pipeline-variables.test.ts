import { describe, expect, it } from 'vitest';
import { resolvePipelineVariables } from './pipeline-variables.ts';

describe('resolvePipelineVariables', () => {
  it('uses overrides before defaults', () => {
    expect(resolvePipelineVariables([{ name: 'env', defaultValue: 'dev' }], { env: 'prod' })).toEqual({
      values: { env: 'prod' },
      errors: [],
    });
  });

  it('uses the default when there is no override', () => {
    expect(resolvePipelineVariables([{ name: 'env', defaultValue: 'dev' }], {}).values).toEqual({
      env: 'dev',
    });
  });

  it('reports a declared variable with neither default nor override', () => {
    const { values, errors } = resolvePipelineVariables(
      [{ name: 'region' }, { name: 'env', defaultValue: 'dev' }],
      {},
    );
    expect(values).toEqual({ env: 'dev' });
    expect(errors).toEqual([
      'variable "region" has no default value; pass a value when starting the execution',
    ]);
  });

  it('reports an override of an undeclared variable with a suggestion', () => {
    const { errors } = resolvePipelineVariables([{ name: 'region', defaultValue: 'eu-west-1' }], {
      regoin: 'x',
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('variable "regoin" is not declared');
    expect(errors[0]).toContain('did you mean "region"?');
  });

  it('rejects values longer than 1000 characters and empty values', () => {
    const { values, errors } = resolvePipelineVariables(
      [{ name: 'a' }, { name: 'b' }, { name: 'c', defaultValue: 'x'.repeat(1000) }],
      { a: 'x'.repeat(1001), b: '' },
    );
    expect(values).toEqual({ c: 'x'.repeat(1000) });
    expect(errors).toEqual([
      'variable "a": the value given at start is 1001 characters long; the maximum is 1000',
      'variable "b": the value given at start is empty; give 1–1000 characters',
    ]);
  });

  it('reports every problem at once', () => {
    expect(resolvePipelineVariables([{ name: 'a' }, { name: 'b' }], { c: '1' }).errors).toHaveLength(3);
  });
});
