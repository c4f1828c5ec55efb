import { ExecutionStateError, VariableResolutionError } from '@pipewright/core';
import { UnknownExecutionError, UnknownPipelineError } from '@pipewright/engine';
import { describe, expect, it } from 'vitest';
import { errorBody, toWebError, WebError } from './errors.ts';

describe('toWebError', () => {
  it('maps the engine and core errors to API codes, without their PW prefix', () => {
    expect(errorBody(toWebError(new UnknownExecutionError('7f0c')))).toEqual({
      error: { code: 'NotFound', message: expect.stringMatching(/^no execution 7f0c/) },
    });
    expect(toWebError(new UnknownPipelineError('x')).status).toBe(404);
    expect(toWebError(new ExecutionStateError('decided once')).status).toBe(409);
    expect(toWebError(new VariableResolutionError('X', 'unknown variable X')).code).toBe('ValidationError');
    const own = new WebError('NotImplemented', 'no');
    expect(toWebError(own)).toBe(own);
    expect(own.status).toBe(501);
  });

  it('hides what an unexpected error says and reports it', () => {
    const seen: unknown[] = [];
    const error = new Error('SQLITE_BUSY at /secret/path');
    const mapped = toWebError(error, (e) => seen.push(e));
    expect(mapped.status).toBe(500);
    expect(mapped.message).not.toContain('secret');
    expect(seen).toEqual([error]);
  });
});
