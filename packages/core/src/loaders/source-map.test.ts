import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Path } from '../model/path.ts';
import { loadPipelines } from './load-pipelines.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../test/fixtures/pipelines/${name}`, import.meta.url), 'utf8');

function locator(name: string, index = 0): (path: Path) => string | undefined {
  const loaded = loadPipelines(fixture(name), { file: name }).pipelines[index];
  return (path) => {
    const loc = loaded?.sourceMap.locate(path);
    return loc ? `${loc.file}:${loc.line}:${loc.col}` : undefined;
  };
}

describe('SourceMap.locate', () => {
  it('maps CloudFormation model paths to Resources.<id>.Properties nodes', () => {
    const at = locator('seed-cloudformation.yaml');
    expect(at([])).toBe('seed-cloudformation.yaml:8:7'); // Properties
    expect(at(['roleArn'])).toBe('seed-cloudformation.yaml:8:16');
    expect(at(['stages', 1])).toBe('seed-cloudformation.yaml:26:11'); // - Name: Build
    expect(at(['stages', 1, 'actions', 0])).toBe('seed-cloudformation.yaml:28:15'); // - Name: BuildProject
    expect(at(['stages', 1, 'actions', 0, 'inputArtifacts', 0, 'name'])).toBe(
      'seed-cloudformation.yaml:35:25',
    );
    expect(at(['stages', 0, 'actions', 0, 'actionTypeId', 'version'])).toBe('seed-cloudformation.yaml:20:26');
  });

  it('maps native model paths to the native spelling (type, inputs, outputs, env, variables, triggers)', () => {
    const at = locator('native-web-app.yaml');
    expect(at(['name'])).toBe('native-web-app.yaml:2:7');
    expect(at(['variables', 0, 'defaultValue'])).toBe('native-web-app.yaml:6:15');
    expect(at(['triggers', 1])).toBe('native-web-app.yaml:16:5');
    expect(at(['triggers', 0, 'gitConfiguration', 'sourceActionName'])).toBe('native-web-app.yaml:9:15');
    expect(at(['triggers', 2, 'eventPattern'])).toBe('native-web-app.yaml:17:12');
    expect(at(['stages', 1, 'actions', 0, 'actionTypeId'])).toBe('native-web-app.yaml:33:15');
    expect(at(['stages', 1, 'actions', 0, 'actionTypeId', 'provider'])).toBe('native-web-app.yaml:33:15');
    expect(at(['stages', 1, 'actions', 0, 'inputArtifacts', 0])).toBe('native-web-app.yaml:34:18');
    expect(at(['stages', 1, 'actions', 0, 'environmentVariables', 0, 'value'])).toBe(
      'native-web-app.yaml:36:26',
    );
    expect(at(['stages', 1, 'actions', 0, 'outputArtifacts', 0, 'files', 0])).toBe(
      'native-web-app.yaml:37:48',
    );
  });

  it('maps get-pipeline paths under the "pipeline" wrapper', () => {
    const at = locator('seed-get-pipeline.json');
    expect(at(['stages', 0, 'actions', 0, 'configuration', 'RepositoryName'])).toBe(
      'seed-get-pipeline.json:24:33',
    );
  });

  it('falls back to the nearest known ancestor', () => {
    const at = locator('native-web-app.yaml');
    expect(at(['stages', 1, 'actions', 0, 'configuration', 'NoSuchKey'])).toBe(
      at(['stages', 1, 'actions', 0]),
    );
    expect(at(['stages', 9, 'actions', 0])).toBe(at(['stages']));
  });

  it('distinguishes the pipelines of one template', () => {
    const first = locator('cloudformation-two-pipelines.json', 0);
    const second = locator('cloudformation-two-pipelines.json', 1);
    const text = fixture('cloudformation-two-pipelines.json');
    const stages = [...text.matchAll(/"Stages": \[\n(\s*)\{/g)].map((m) => {
      const offset = (m.index ?? 0) + m[0].length - 1;
      const before = text.slice(0, offset).split('\n');
      return `cloudformation-two-pipelines.json:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
    });
    expect(stages).toHaveLength(2);
    expect(first(['stages', 0])).toBe(stages[0]);
    expect(second(['stages', 0])).toBe(stages[1]);
    expect(first(['stages', 0])).not.toBe(second(['stages', 0]));
    const euw1 = text.split('\n').findIndex((line) => line.includes('"infra-artifacts-euw1"'));
    const col = (text.split('\n')[euw1] ?? '').indexOf('"infra-artifacts-euw1"') + 1;
    expect(second(['artifactStores', 'eu-west-1', 'location'])).toBe(
      `cloudformation-two-pipelines.json:${euw1 + 1}:${col}`,
    );
  });
});
