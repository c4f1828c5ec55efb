import { describe, expect, it } from 'vitest';
import { actionAt, codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

describe('checkLimits', () => {
  it('allows at most 50 pipeline variables', () => {
    const p = validPipeline();
    p.variables = Array.from({ length: 51 }, (_, i) => ({ name: `v${i}` }));
    p.variables[0] = { name: 'env' };
    expect(codes(p)).toEqual(['too-many-variables']);
  });

  it('limits configuration values to 1000 characters', () => {
    const p = validPipeline();
    actionAt(p, 2).configuration.CustomData = 'x'.repeat(1001);
    expect(messagesOf(p, 'configuration-value-too-long')).toEqual([
      'stages/2/actions/0/configuration/CustomData: configuration value is 1001 characters long; the limit is 1000: move the data into an artifact or a file',
    ]);
  });

  it('limits commands to 50 of at most 1000 characters', () => {
    const p = validPipeline();
    actionAt(p, 1).commands = Array.from({ length: 51 }, () => 'true');
    expect(codes(p)).toEqual(['invalid-commands']);
    actionAt(p, 1).commands = ['x'.repeat(1001)];
    expect(messagesOf(p, 'invalid-commands')).toEqual([
      'stages/1/actions/0/commands/0: command is 1001 characters long; the limit is 1000: move it into a script in the source',
    ]);
  });

  it('checks environment variables: count, name, value length and type', () => {
    const p = validPipeline();
    const compile = actionAt(p, 1);
    compile.environmentVariables = [];
    expect(codes(p)).toEqual(['invalid-environment-variables']);
    compile.environmentVariables = [
      { name: 'A-B', value: 'x', type: 'PLAINTEXT' },
      { name: 'OK', value: 'x'.repeat(2001), type: 'PLAINTEXT' },
      { name: 'T', value: 'x', type: 'PARAMETER' as 'PLAINTEXT' },
    ];
    expect(codes(p)).toEqual([
      'invalid-environment-variables',
      'invalid-environment-variables',
      'invalid-environment-variables',
    ]);
  });

  it('checks declared output variables', () => {
    const p = validPipeline();
    actionAt(p, 1).outputVariables = ['IMAGE_TAG', 'BAD NAME'];
    expect(messagesOf(p, 'invalid-output-variables')).toEqual([
      'stages/1/actions/0/outputVariables/1: output variable "BAD NAME" is not a valid name; use 1–128 letters, digits, @, - and _ (the name of an environment variable the commands set)',
    ]);
  });
});
