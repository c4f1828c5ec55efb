import { describe, expect, it } from 'vitest';
import { NAMES } from './deploy.test-helper.ts';
import {
  MANAGED_POLICY_CHARS,
  placePolicy,
  policyLength,
  ROLE_INLINE_POLICY_CHARS,
  SST_INLINE_RESERVE_CHARS,
} from './policy-placement.ts';
import type { PolicyStatement } from './policy-statement.ts';

const statement = (sid: string, count: number): PolicyStatement => ({
  Sid: sid,
  Effect: 'Allow',
  Action: ['lambda:InvokeFunction'],
  Resource: Array.from(
    { length: count },
    (_, i) => `arn:aws:lambda:eu-west-1:123456789012:function:f-${sid}-${i}`,
  ),
});

describe('placePolicy', () => {
  it('keeps everything inline while it fits', () => {
    const small = [statement('A', 3), statement('B', 2)];
    expect(placePolicy(small, 'pw-prod-action-runner', NAMES)).toEqual({ inline: small, managed: [] });
  });

  it('spills into managed policies of at most 6,144 characters, splitting a statement too large for one', () => {
    // Prepare: one statement of 400 function ARNs (~25,000 characters) after a small one.
    const statements = [statement('Base', 2), statement('Big', 400)];
    // Act
    const { inline, managed } = placePolicy(statements, 'pw-prod-action-runner', NAMES);
    // Assess
    expect(policyLength(inline)).toBeLessThanOrEqual(ROLE_INLINE_POLICY_CHARS - SST_INLINE_RESERVE_CHARS);
    expect(managed.length).toBeGreaterThanOrEqual(3);
    for (const m of managed) expect(policyLength(m.statements)).toBeLessThanOrEqual(MANAGED_POLICY_CHARS);
    expect(managed.map((m) => m.arn)[0]).toBe(
      'arn:aws:iam::123456789012:policy/pw-prod-action-runner-grants-1',
    );
    // Nothing lost, nothing granted twice, in order.
    const resources = [...inline, ...managed.flatMap((m) => m.statements)].flatMap((s) => s.Resource);
    expect(resources).toEqual(statements.flatMap((s) => s.Resource));
    expect([...inline, ...managed.flatMap((m) => m.statements)].map((s) => s.Sid).slice(0, 3)).toEqual([
      'Base',
      'Big1',
      'Big2',
    ]);
  });
});
