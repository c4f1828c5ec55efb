import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineInvalidError } from '@pipewright/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPipelineDirectory } from '../../infra/load-pipelines.ts';
import { cleanupsAfter } from '../support/cleanups.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { tempDirSync } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterEach);

function project(files: Record<string, string>): string {
  const root = tempDirSync(cleanups, 'pw-infra-load-');
  mkdirSync(join(root, 'pipelines'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'pipelines', name), text);
  return root;
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const VALID = `name: ok
stages:
  - name: Source
    actions:
      - name: Checkout
        type: Source/Git
        configuration: { RepositoryUrl: "https://example.com/r.git", BranchName: main }
        outputs: [Src]
  - name: Build
    actions:
      - name: Make
        type: Build/Commands
        inputs: [Src]
        commands: [make]
`;

describe('loadPipelineDirectory', () => {
  it('fails the deploy with every problem of every invalid file, as file:line:col path: message', () => {
    // Prepare
    const root = project({
      'a.yaml': VALID.replace('name: ok', 'name: first').replace('inputs: [Src]', 'inputs: [Missing]'),
      'b.json': '{ "name": "second", "stages": [ ',
      'notes.txt': 'not a pipeline',
    });
    // Act
    const error = thrown(() => loadPipelineDirectory(join(root, 'pipelines'), root));
    // Assess
    expect(error).toBeInstanceOf(PipelineInvalidError);
    expect(error.message).toMatch(
      /^\[PW1001\] the pipeline is invalid \(\d+ errors?\); fix these and try again:\n/,
    );
    expect(error.message).toMatch(
      /\npipelines\/a\.yaml:13:\d+ stages\[1\]\.actions\[0\]\.inputArtifacts\[0\]: .*"Missing"/,
    );
    expect(error.message).toMatch(/pipelines\/b\.json:1:\d+ /);
    expect(error.message).not.toContain('notes.txt');
  });

  it('rejects two files declaring the same pipeline, naming both', () => {
    const root = project({ 'one.yaml': VALID, 'two.yml': VALID });
    const error = thrown(() => loadPipelineDirectory(join(root, 'pipelines'), root));
    expect(error).toBeInstanceOf(PipelineInvalidError);
    expect(error.message).toContain(
      'pipelines/two.yml:1:1 name: pipeline "ok" is also declared in pipelines/one.yaml',
    );
  });

  it('says where to put pipelines when the directory is missing or empty', () => {
    const root = tempDirSync(cleanups, 'pw-infra-load-');
    expect(() => loadPipelineDirectory(join(root, 'pipelines'), root)).toThrow(
      'there is no pipelines/ directory: put the pipeline files to deploy there (YAML or JSON), e.g. cp examples/web-app/pipeline.yaml pipelines/web-app.yaml',
    );
    mkdirSync(join(root, 'pipelines'));
    expect(() => loadPipelineDirectory(join(root, 'pipelines'), root)).toThrow(
      /^pipelines\/ holds no pipeline file/,
    );
  });

  it('reads CloudFormation templates and passes their warnings on', () => {
    const root = project({});
    copyFileSync(join(REPO_ROOT, 'examples/seed/template.yaml'), join(root, 'pipelines', 'seed.yaml'));
    const { pipelines, warnings } = loadPipelineDirectory(join(root, 'pipelines'), root);
    expect(pipelines.map((p) => p.name)).toEqual(['MyPipeline']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^pipelines\/seed\.yaml:10:16 warning: Resources\.MyPipeline\.Properties\.RoleArn: "!GetAtt PipelineRole\.Arn" is a CloudFormation intrinsic/,
    );
  });
});
