import { describe, expect, it } from 'vitest';
import { convertLongFormIntrinsics, Intrinsic, renderIntrinsic } from './intrinsic.ts';

describe('renderIntrinsic', () => {
  it('renders the YAML short form', () => {
    expect(renderIntrinsic('Ref', 'ArtifactBucket')).toBe('!Ref ArtifactBucket');
    expect(renderIntrinsic('GetAtt', ['PipelineRole', 'Arn'])).toBe('!GetAtt PipelineRole.Arn');
    expect(renderIntrinsic('Join', ['', ['a', new Intrinsic('Ref', 'B')]])).toBe("!Join ['', [a, !Ref B]]");
    expect(renderIntrinsic('If', ['Prod', { a: 1 }, 'no way'])).toBe("!If [Prod, {a: 1}, 'no way']");
  });
});

describe('convertLongFormIntrinsics', () => {
  it('turns single-key Ref / Fn:: maps into intrinsics and leaves other maps alone', () => {
    const out = convertLongFormIntrinsics({
      a: { Ref: 'X' },
      b: { 'Fn::GetAtt': ['R', 'Arn'] },
      c: { Ref: 'X', Other: 1 },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
      d: [{ 'Fn::Sub': 'x-${Y}' }],
    }) as Record<string, unknown>;
    expect((out.a as Intrinsic).text).toBe('!Ref X');
    expect((out.b as Intrinsic).text).toBe('!GetAtt R.Arn');
    expect(out.c).toEqual({ Ref: 'X', Other: 1 });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
    expect(((out.d as unknown[])[0] as Intrinsic).text).toBe('!Sub x-${Y}');
  });
});
