import { describe, expect, it } from 'vitest';
import { actionAt, codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

describe('checkProviders', () => {
  it('lists the supported pairs for an unknown provider and hints at other categories', () => {
    const p = validPipeline();
    actionAt(p, 1).actionTypeId.category = 'Deploy';
    expect(messagesOf(p, 'unknown-provider')[0]).toMatch(
      /^stages\/1\/actions\/0\/actionTypeId\/provider: unknown action type Deploy\/Commands; Commands is available as Build\/Commands, Test\/Commands and Compute\/Commands; supported category\/provider pairs: Source\/Git, /,
    );
  });

  it('rejects an owner the provider does not take', () => {
    const p = validPipeline();
    actionAt(p, 2).actionTypeId.owner = 'Custom';
    expect(messagesOf(p, 'invalid-owner')).toEqual([
      'stages/2/actions/0/actionTypeId/owner: Approval/Manual takes owner AWS, not Custom; set owner to AWS',
    ]);
  });

  it('rejects unknown configuration keys with a suggestion', () => {
    const p = validPipeline();
    actionAt(p, 3).configuration.Bucket = 'x';
    expect(messagesOf(p, 'unknown-configuration-key')).toEqual([
      'stages/3/actions/0/configuration/Bucket: unknown configuration key "Bucket" for Deploy/S3; did you mean "BucketName"? supported keys: BucketName, Extract, ObjectKey, KMSEncryptionKeyARN, CannedACL, CacheControl',
    ]);
  });

  it('enforces required keys, including mode-dependent ones', () => {
    const p = validPipeline();
    actionAt(p, 3).configuration = { BucketName: 'site', Extract: 'false' };
    expect(messagesOf(p, 'missing-configuration-key')).toEqual([
      'stages/3/actions/0/configuration/ObjectKey: ObjectKey is required when Extract is "false"; name the object to write, or set Extract to "true"',
    ]);
  });

  it('checks CloudFormation requirements per ActionMode', () => {
    const p = validPipeline();
    const deploy = actionAt(p, 3);
    deploy.actionTypeId.provider = 'CloudFormation';
    deploy.configuration = { ActionMode: 'CHANGE_SET_REPLACE', StackName: 'web' };
    expect(codes(p)).toEqual(['missing-configuration-key', 'missing-configuration-key']);
    deploy.configuration = {
      ActionMode: 'DELETE_ONLY',
      StackName: 'web',
      Capabilities: 'CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND',
    };
    expect(codes(p)).toEqual([]);
  });

  it('accepts a variable where an enum value is expected', () => {
    const p = validPipeline();
    actionAt(p, 3).configuration.Extract = '#{variables.env}';
    expect(codes(p)).toEqual([]);
  });

  it('rejects boolean values that are not "true" or "false"', () => {
    const p = validPipeline();
    actionAt(p, 3).configuration.Extract = 'yes';
    expect(messagesOf(p, 'invalid-configuration-value')).toEqual([
      'stages/3/actions/0/configuration/Extract: Extract must be "true" or "false", got "yes"',
    ]);
  });

  it('checks artifact counts against the provider bounds', () => {
    const p = validPipeline();
    actionAt(p, 2).inputArtifacts = [{ name: 'SourceOutput' }];
    expect(messagesOf(p, 'input-artifact-count')).toEqual([
      'stages/2/actions/0/inputArtifacts: Approval/Manual takes no input artifacts, got 1; remove inputArtifacts',
    ]);
  });

  it('allows commands, outputVariables and environmentVariables only on Commands', () => {
    const p = validPipeline();
    actionAt(p, 3).commands = ['echo'];
    actionAt(p, 3).outputVariables = ['X'];
    actionAt(p, 3).environmentVariables = [{ name: 'A', value: 'b', type: 'PLAINTEXT' }];
    expect(codes(p)).toEqual([
      'commands-not-allowed',
      'output-variables-not-allowed',
      'environment-variables-not-allowed',
    ]);
  });

  it('requires commands on a Commands action', () => {
    const p = validPipeline();
    actionAt(p, 1).commands = [];
    expect(codes(p)).toEqual(['missing-commands']);
  });

  it('allows timeoutInMinutes only where the provider takes it, within its bounds', () => {
    const p = validPipeline();
    actionAt(p, 2).timeoutInMinutes = 60;
    actionAt(p, 1).timeoutInMinutes = 20;
    expect(codes(p)).toEqual([]);
    actionAt(p, 1).timeoutInMinutes = 4;
    actionAt(p, 3).timeoutInMinutes = 30;
    expect(codes(p)).toEqual(['invalid-timeout', 'timeout-not-allowed']);
  });
});
