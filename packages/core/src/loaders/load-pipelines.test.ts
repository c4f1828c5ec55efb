import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../model/diagnostic.ts';
import type { LoadedPipeline } from '../model/loaded-pipeline.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { loadPipelines } from './load-pipelines.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../test/fixtures/pipelines/${name}`, import.meta.url), 'utf8');

function only(text: string, file: string): LoadedPipeline {
  const result = loadPipelines(text, { file });
  expect(result.pipelines).toHaveLength(1);
  const [loaded] = result.pipelines;
  if (!loaded) throw new Error('expected one pipeline');
  return loaded;
}

/** The model without the fields the seed's CloudFormation form leaves to CloudFormation. */
function withoutDeploymentDetails(p: Pipeline): Partial<Pipeline> {
  const { roleArn: _role, artifactStore: _store, version: _version, ...rest } = p;
  return rest;
}

describe('loadPipelines', () => {
  it('loads the seed CloudFormation template, the get-pipeline JSON and the bare declaration to equal models', () => {
    // Prepare
    const cfn = only(fixture('seed-cloudformation.yaml'), 'seed-cloudformation.yaml');
    const json = only(fixture('seed-get-pipeline.json'), 'seed-get-pipeline.json');
    const yaml = only(fixture('seed-declaration.yaml'), 'seed-declaration.yaml');

    // Assess
    expect(cfn.format).toBe('cloudformation');
    expect(json.format).toBe('codepipeline');
    expect(yaml.format).toBe('codepipeline');
    expect(withoutDeploymentDetails(cfn.pipeline)).toEqual(withoutDeploymentDetails(json.pipeline));
    expect(yaml.pipeline).toEqual(json.pipeline);
    expect(cfn.pipeline.roleArn).toBe('!GetAtt PipelineRole.Arn');
    expect(cfn.pipeline.artifactStore).toEqual({ type: 'S3', location: '!Ref ArtifactBucket' });
    expect(json.pipeline.artifactStore).toEqual({ type: 'S3', location: 'my-artifact-bucket' });
    expect(json.pipeline.version).toBe(1);
  });

  it('loads the seed model field by field', () => {
    const { pipeline } = only(fixture('seed-get-pipeline.json'), 'seed-get-pipeline.json');
    expect(pipeline).toEqual({
      name: 'MyPipeline',
      roleArn: 'arn:aws:iam::123456789012:role/PipelineRole',
      artifactStore: { type: 'S3', location: 'my-artifact-bucket' },
      version: 1,
      executionMode: 'SUPERSEDED',
      pipelineType: 'V1',
      variables: [],
      triggers: [],
      stages: [
        {
          name: 'Source',
          actions: [
            {
              name: 'SourceCode',
              actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
              runOrder: 1,
              configuration: { BranchName: 'main', RepositoryName: 'MyRepo' },
              inputArtifacts: [],
              outputArtifacts: [{ name: 'SourceOutput' }],
            },
          ],
        },
        {
          name: 'Build',
          actions: [
            {
              name: 'BuildProject',
              actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
              runOrder: 1,
              configuration: { ProjectName: 'MyBuildProject' },
              inputArtifacts: [{ name: 'SourceOutput' }],
              outputArtifacts: [{ name: 'BuildOutput' }],
            },
          ],
        },
      ],
    });
  });

  it('reports no diagnostics for the seed declaration forms', () => {
    expect(loadPipelines(fixture('seed-get-pipeline.json')).diagnostics).toEqual([]);
    expect(loadPipelines(fixture('seed-declaration.yaml')).diagnostics).toEqual([]);
  });

  it('gives a syntax error with line and column for malformed YAML', () => {
    // Prepare
    const text = 'name: web\nstages:\n  - name: Source\n   actions: []\n';

    // Act
    const result = loadPipelines(text, { file: 'pipeline.yaml' });

    // Assess
    expect(result.pipelines).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d?.code).toBe('syntax-error');
    expect(d?.location).toEqual({ file: 'pipeline.yaml', line: 4, col: 1 });
    expect(d?.message).toMatch(/^could not parse YAML: .+; .*indentation/);
  });

  it('gives a syntax error with line and column for malformed JSON', () => {
    const text = '{\n  "pipeline": {\n    "name": "x",,\n    "stages": []\n  }\n}\n';
    const result = loadPipelines(text, { file: 'p.json' });
    expect(result.pipelines).toEqual([]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^p\.json:3:17 could not parse JSON: .+; check the JSON syntax/),
    ]);
  });

  it('reports duplicate keys', () => {
    const result = loadPipelines('name: a\nname: b\nstages: []\n', { file: 'p.yaml' });
    expect(result.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['duplicate-key', 2]]);
  });

  it('reports an empty document or a document that is not a map', () => {
    expect(loadPipelines('').diagnostics.map((d) => d.code)).toEqual(['invalid-document']);
    expect(loadPipelines('- a\n- b\n').diagnostics[0]?.message).toMatch(/the document is a list/);
    expect(loadPipelines('42').diagnostics[0]?.location).toEqual({ line: 1, col: 1 });
  });

  it('honours an explicit format over detection', () => {
    // A native document read as a CodePipeline declaration: `type` is not a declaration field.
    const text = 'name: web\nstages:\n  - name: S\n    actions:\n      - name: A\n        type: Source/Git\n';
    const result = loadPipelines(text, { format: 'codepipeline' });
    expect(result.pipelines[0]?.format).toBe('codepipeline');
    expect(result.diagnostics.map((d) => d.code)).toContain('unknown-field');
  });

  it('reports unknown and mistyped fields of a CodePipeline declaration', () => {
    const text = JSON.stringify(
      { pipeline: { name: 'p', stages: 'none', rolArn: 'x' }, metadata: {} },
      null,
      2,
    );
    const result = loadPipelines(text, { file: 'p.json' });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'p.json:4:15 pipeline.stages: expected a list, got the string "none".',
      'p.json:5:5 pipeline.rolArn: unknown field "rolArn"; did you mean "roleArn"?',
    ]);
    expect(result.pipelines[0]?.pipeline.stages).toEqual([]);
  });

  it('sorts diagnostics by location', () => {
    const text = 'stages:\n  - name: B\n    actoins: []\nnmae: x\n';
    const lines = loadPipelines(text).diagnostics.map((d) => d.location?.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
