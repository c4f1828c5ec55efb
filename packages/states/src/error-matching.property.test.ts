import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorMatches, retryDelayMs } from './error-matching.ts';

const name = fc.stringMatching(/^[A-Za-z][A-Za-z.]{0,20}$/);

describe('errorMatches', () => {
  it('States.ALL matches every error except States.Runtime and States.DataLimitExceeded', () => {
    fc.assert(
      fc.property(name, (error) => {
        const uncatchable = error === 'States.Runtime' || error === 'States.DataLimitExceeded';
        expect(errorMatches(error, ['States.ALL'])).toBe(!uncatchable);
      }),
    );
  });

  it('States.TaskFailed matches every catchable error but the timeouts', () => {
    expect(errorMatches('Lambda.Unknown', ['States.TaskFailed'])).toBe(true);
    expect(errorMatches('States.Timeout', ['States.TaskFailed'])).toBe(false);
    expect(errorMatches('States.HeartbeatTimeout', ['States.TaskFailed'])).toBe(false);
  });

  it('States.Timeout matches States.HeartbeatTimeout but not the other way round', () => {
    expect(errorMatches('States.HeartbeatTimeout', ['States.Timeout'])).toBe(true);
    expect(errorMatches('States.Timeout', ['States.HeartbeatTimeout'])).toBe(false);
  });
});

describe('retryDelayMs', () => {
  const retrier = fc.record({
    IntervalSeconds: fc.integer({ min: 1, max: 100 }),
    BackoffRate: fc.double({ min: 1, max: 5, noNaN: true }),
    MaxDelaySeconds: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
  });

  it('never exceeds MaxDelaySeconds, and FULL jitter never exceeds the un-jittered delay', () => {
    fc.assert(
      fc.property(
        retrier,
        fc.integer({ min: 0, max: 10 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (r, count, u) => {
          const none = retryDelayMs({ ErrorEquals: ['E'], ...r, JitterStrategy: 'NONE' }, count, () => u);
          const full = retryDelayMs({ ErrorEquals: ['E'], ...r, JitterStrategy: 'FULL' }, count, () => u);
          if (r.MaxDelaySeconds !== undefined) expect(none).toBeLessThanOrEqual(r.MaxDelaySeconds * 1000);
          expect(full).toBeLessThanOrEqual(none);
          expect(full).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('grows by BackoffRate per retry: interval × rate^count', () => {
    expect(retryDelayMs({ ErrorEquals: ['E'], IntervalSeconds: 2, BackoffRate: 3 }, 2, () => 0)).toBe(18_000);
    expect(retryDelayMs({ ErrorEquals: ['E'] }, 0, () => 0)).toBe(1000);
  });
});
