import { describe, expect, it } from 'vitest';
import { type BusEvent, LocalEventBus } from './local-event-bus.ts';

const event: BusEvent = { source: 'my.app', 'detail-type': 'Release Requested', detail: { env: 'prod' } };

describe('LocalEventBus', () => {
  it('hands each published event to every listener, in subscription order', async () => {
    // Prepare
    const bus = new LocalEventBus();
    const seen: string[] = [];
    bus.subscribe((e) => {
      seen.push(`a ${e['detail-type']}`);
    });
    bus.subscribe(async (e) => {
      seen.push(`b ${e.source}`);
    });
    // Act
    await bus.publish(event);
    // Assess
    expect(seen).toEqual(['a Release Requested', 'b my.app']);
  });

  it('stops calling a listener once unsubscribed', async () => {
    const bus = new LocalEventBus();
    let calls = 0;
    const stop = bus.subscribe(() => {
      calls++;
    });
    await bus.publish(event);
    stop();
    await bus.publish(event);
    expect(calls).toBe(1);
    expect(bus.size).toBe(0);
  });

  it('reports a failing listener to onError and still calls the others', async () => {
    // Prepare
    const errors: string[] = [];
    const bus = new LocalEventBus({ onError: (e) => errors.push(e.message) });
    let reached = false;
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe(async () => {
      throw new Error('async boom');
    });
    bus.subscribe(() => {
      reached = true;
    });
    // Act
    await bus.publish(event);
    // Assess
    expect(errors.sort()).toEqual(['async boom', 'boom']);
    expect(reached).toBe(true);
  });
});
