import type { TriggerDelivery } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { MAX_RELAYED_DETAIL_BYTES, relayedDetail, triggerDeliveryOf } from './trigger-handler.ts';

const push = (files: number, message = 'Fix login'): TriggerDelivery => ({
  kind: 'git',
  provider: 'github',
  triggerId: 'd-1',
  at: '2026-11-23T10:00:00.000Z',
  event: {
    kind: 'push',
    ref: 'refs/heads/main',
    commitId: 'abc1234',
    commitMessage: message,
    changedFiles: Array.from({ length: files }, (_, i) => `src/generated/module-${i}/index.ts`),
  },
});

describe('relayedDetail', () => {
  it('relays a delivery whole when it fits, and the trigger function reads it back', () => {
    const detail = relayedDetail('web-app', push(3));
    const event = {
      id: 'e-1',
      source: 'pipewright.webhook',
      'detail-type': 'Pipewright Trigger Delivery',
      detail: JSON.parse(detail),
    };
    expect(triggerDeliveryOf(event, new Date())).toEqual({ pipeline: 'web-app', delivery: push(3) });
  });

  it('drops the file list of a push too large for one event, keeping the rest', () => {
    const big = push(10_000, 'x'.repeat(5_000));
    const detail = relayedDetail('web-app', big);
    const parsed = JSON.parse(detail) as { delivery: { triggerId: string; event: Record<string, unknown> } };
    expect(Buffer.byteLength(detail)).toBeLessThanOrEqual(MAX_RELAYED_DETAIL_BYTES);
    expect(parsed.delivery.triggerId).toBe('d-1');
    expect(parsed.delivery.event.changedFiles).toBeUndefined();
    expect(parsed.delivery.event).toMatchObject({ ref: 'refs/heads/main', commitId: 'abc1234' });
    expect(String(parsed.delivery.event.commitMessage)).toHaveLength(2_000);
  });
});
