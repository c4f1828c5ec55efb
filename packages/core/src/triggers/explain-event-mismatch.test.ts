import { describe, expect, it } from 'vitest';
import { explainEventMismatch } from './explain-event-mismatch.ts';

describe('explainEventMismatch', () => {
  it('is undefined when the event matches', () => {
    expect(explainEventMismatch({ source: ['a'] }, { source: 'a' })).toBeUndefined();
  });

  it('names the deepest failing field and its value', () => {
    expect(
      explainEventMismatch(
        { source: ['aws.ec2'], detail: { state: ['running'] } },
        { source: 'aws.ec2', detail: { state: 'pending' } },
      ),
    ).toBe('detail.state is "pending"; the pattern accepts ["running"]');
  });

  it('says a field is missing', () => {
    expect(explainEventMismatch({ detail: { state: ['running'] } }, { detail: {} })).toBe(
      'detail.state is missing; the pattern accepts ["running"]',
    );
  });

  it('lists the values of an array field', () => {
    expect(explainEventMismatch({ resources: ['arn:a'] }, { resources: ['arn:b', 'arn:c'] })).toBe(
      'resources is ["arn:b", "arn:c"]; the pattern accepts ["arn:a"]',
    );
  });

  it('reports a failed $or', () => {
    expect(explainEventMismatch({ $or: [{ a: [1] }, { b: [2] }] }, { a: 2 })).toBe(
      'no alternative of $or matches ([{"a":[1]},{"b":[2]}])',
    );
  });
});
