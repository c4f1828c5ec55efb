import type { Engine } from '@pipewright/engine';
import { describe, expect, it, vi } from 'vitest';
import { callbackHandler } from './callback-handler.ts';

const PROD = 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-web';
/** Another stage whose name starts with `prod-`: its machines share the rule's prefix. */
const PROD_EU = 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-eu-web';

function statusChange(stateMachineArn: string) {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: { name: '7f0c', status: 'FAILED', stateMachineArn },
  };
}

function callback() {
  const recordOrchestratorEnd = vi.fn(async () => ({ status: 'Failed' }));
  const engine = { recordOrchestratorEnd, idle: async () => {} } as unknown as Engine;
  const handler = callbackHandler(async () => ({
    engine,
    completion: async () => undefined,
    ownsStateMachine: (arn: string) => arn === PROD,
  }));
  return { handler, recordOrchestratorEnd };
}

describe('callbackHandler', () => {
  it('records the abnormal end of an execution of its own state machines', async () => {
    const { handler, recordOrchestratorEnd } = callback();
    expect(await handler(statusChange(PROD))).toEqual({ ended: '7f0c', status: 'Failed' });
    expect(recordOrchestratorEnd).toHaveBeenCalledWith('7f0c', { status: 'FAILED' });
  });

  it('ignores an execution of another stage whose state machines share the prefix', async () => {
    const { handler, recordOrchestratorEnd } = callback();
    expect(await handler(statusChange(PROD_EU))).toEqual({ ignored: true });
    expect(recordOrchestratorEnd).not.toHaveBeenCalled();
  });
});
