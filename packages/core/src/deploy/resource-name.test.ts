import { describe, expect, it } from 'vitest';
import { fnv1a32 } from '../compiler/state-names.ts';
import { isValidResourceName, RESOURCE_NAME_RULES, resourceName } from './resource-name.ts';

describe('resourceName', () => {
  it('keeps <app>-<stage>-<parts> when the service accepts it', () => {
    expect(resourceName('stateMachine', 'pipewright', 'prod', 'web-app')).toBe('pipewright-prod-web-app');
    expect(resourceName('role', 'pipewright', 'dev', 'web-app', 'sfn')).toBe('pipewright-dev-web-app-sfn');
  });

  it('shortens a name over the limit to exactly the limit, ending in the hash of the whole name', () => {
    // Prepare
    const pipeline = 'a-very-long-pipeline-name-for-the-payments-service';
    const raw = `pipewright-prod-${pipeline}-trigger-1`;
    // Act
    const name = resourceName('eventRule', 'pipewright', 'prod', pipeline, 'trigger-1');
    // Assess
    expect(raw.length).toBeGreaterThan(64);
    expect(name).toHaveLength(64);
    expect(name).toBe(`${raw.slice(0, 55)}-${fnv1a32(raw)}`);
    expect(resourceName('eventRule', 'pipewright', 'prod', pipeline, 'trigger-1')).toBe(name);
  });

  it('gives long names that differ only at the end different names', () => {
    const long = 'x'.repeat(80);
    const a = resourceName('schedule', 'app', 'prod', long, 'schedule-1');
    const b = resourceName('schedule', 'app', 'prod', long, 'schedule-2');
    expect(a).not.toBe(b);
    expect(a.slice(0, 50)).toBe(b.slice(0, 50));
  });

  it('replaces characters the service rejects and hashes, so "a@b" and "a-b" stay apart', () => {
    const withAt = resourceName('eventRule', 'app', 'prod', 'deploy@eu', 'trigger-1');
    expect(withAt).toMatch(/^app-prod-deploy-eu-trigger-1-[0-9a-f]{8}$/);
    expect(resourceName('eventRule', 'app', 'prod', 'deploy-eu', 'trigger-1')).toBe(
      'app-prod-deploy-eu-trigger-1',
    );
    // IAM role names accept @: kept as written.
    expect(resourceName('role', 'app', 'prod', 'deploy@eu')).toBe('app-prod-deploy@eu');
  });

  it('lowercases bucket names and keeps them alphanumeric at both ends', () => {
    const name = resourceName('bucket', 'Pipewright', 'Prod', 'artifacts', '123456789012', 'eu-west-1');
    expect(name).toMatch(/^pipewright-prod-artifacts-123456789012-eu-west-1-[0-9a-f]{8}$/);
    expect(isValidResourceName('bucket', name)).toBe(true);
    expect(resourceName('bucket', 'pipewright', 'prod', 'artifacts', '123456789012', 'eu-west-1')).toBe(
      'pipewright-prod-artifacts-123456789012-eu-west-1',
    );
  });

  it('names Lambda functions without dots (Lambda rejects them)', () => {
    const name = resourceName('function', 'app', 'v1.2', 'trigger');
    expect(name).toMatch(/^app-v1-2-trigger-[0-9a-f]{8}$/);
    expect(RESOURCE_NAME_RULES.function.pattern.test(name)).toBe(true);
  });
});
