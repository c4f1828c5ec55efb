import { describe, expect, it } from 'vitest';
import { TaskPayloadError } from '../errors.ts';
import { act, failedTask, gate, X } from './decisions.fixtures.ts';
import { parseTaskPayload } from './index.ts';

describe('parseTaskPayload', () => {
  it('accepts every payload the compiler produces', () => {
    expect(parseTaskPayload(gate('Build'))).toEqual(gate('Build'));
    expect(parseTaskPayload(failedTask('Build', { Error: 'States.Timeout' })).kind).toBe('stageFailed');
    expect(parseTaskPayload({ kind: 'finish', pipeline: 'p', executionId: X, attempt: 2 }).attempt).toBe(2);
  });

  it('rejects a bad payload naming the field', () => {
    // Act
    const missing = () => parseTaskPayload({ ...act('Build', 'Compile'), action: undefined });
    const negative = () => parseTaskPayload({ ...gate('Build'), attempt: -1 });
    const unknownKind = () => parseTaskPayload({ ...gate('Build'), kind: 'dance' });
    // Assess
    expect(missing).toThrow(TaskPayloadError);
    expect(missing).toThrow(/: action: /);
    expect(negative).toThrow(/: attempt: /);
    expect(unknownKind).toThrow(/: kind: /);
    try {
      missing();
    } catch (e) {
      expect((e as TaskPayloadError).path).toEqual(['action']);
    }
  });
});
