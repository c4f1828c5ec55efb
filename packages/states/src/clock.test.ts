import { describe, expect, it } from 'vitest';
import { SimulatedClock } from './clock.ts';

describe('SimulatedClock', () => {
  it('fires timers in due order as time advances, and not before', async () => {
    // Prepare
    const clock = new SimulatedClock(1000);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(100, () => fired.push(`a@${clock.now()}`));
    const cancelled = clock.setTimer(200, () => fired.push('never'));
    clock.clearTimer(cancelled);
    // Act
    await clock.advance(250);
    const early = [...fired];
    await clock.advance(100);
    // Assess
    expect(early).toEqual(['a@1100']);
    expect(fired).toEqual(['a@1100', 'b@1300']);
    expect(clock.now()).toBe(1350);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires a timer set by a firing timer when it falls due within the same advance', async () => {
    const clock = new SimulatedClock(0);
    const fired: number[] = [];
    clock.setTimer(10, () => clock.setTimer(10, () => fired.push(clock.now())));
    await clock.advance(25);
    expect(fired).toEqual([20]);
  });

  it('advanceToNext jumps to the next timer and reports when none is left', async () => {
    const clock = new SimulatedClock(0);
    clock.setTimer(5000, () => {});
    expect(await clock.advanceToNext()).toBe(true);
    expect(clock.now()).toBe(5000);
    expect(await clock.advanceToNext()).toBe(false);
  });
});
