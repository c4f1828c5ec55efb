import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../model/diagnostic.ts';
import { loadPipelines } from './load-pipelines.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../test/fixtures/pipelines/${name}`, import.meta.url), 'utf8');

const messages = (text: string): string[] =>
  loadPipelines(text, { file: 'p.yaml' }).diagnostics.map(formatDiagnostic);

describe('loadPipelines (native)', () => {
  it('loads the native example with every shorthand expanded', () => {
    // Act
    const { pipelines, diagnostics } = loadPipelines(fixture('native-web-app.yaml'), {
      file: 'native-web-app.yaml',
    });

    // Assess
    expect(diagnostics).toEqual([]);
    const p = pipelines[0]?.pipeline;
    expect(pipelines[0]?.format).toBe('native');
    expect(p?.name).toBe('web-app');
    expect(p?.executionMode).toBe('QUEUED');
    expect(p?.pipelineType).toBe('V2');
    expect(p?.variables).toEqual([{ name: 'DEPLOY_ENV', defaultValue: 'staging' }]);
    expect(p?.triggers).toEqual([
      {
        providerType: 'CodeStarSourceConnection',
        gitConfiguration: {
          sourceActionName: 'Checkout',
          push: [{ branches: { includes: ['main'] }, filePaths: { excludes: ['docs/**'] } }],
          pullRequest: [{ events: ['OPEN', 'UPDATED'], branches: { includes: ['main'] } }],
        },
      },
      { providerType: 'Schedule', schedule: { expression: 'cron(0 9 ? * MON-FRI *)' } },
      { providerType: 'EventPattern', eventPattern: { pattern: { source: ['my.app'] } } },
    ]);
    expect(p?.notifications).toEqual([
      {
        emails: ['ops@example.com'],
        webhookUrl: 'https://hooks.example.com/x',
        events: ['execution.failed'],
      },
    ]);
    expect(p?.stages[0]?.actions[0]).toEqual({
      name: 'Checkout',
      actionTypeId: { category: 'Source', owner: 'AWS', provider: 'Git', version: '1' },
      runOrder: 1,
      configuration: { RepositoryUrl: './repo', BranchName: 'main' },
      inputArtifacts: [],
      outputArtifacts: [{ name: 'SourceOutput' }],
      namespace: 'SourceVariables',
    });
    expect(p?.stages[1]?.actions[0]).toEqual({
      name: 'Compile',
      actionTypeId: { category: 'Build', owner: 'AWS', provider: 'Commands', version: '1' },
      runOrder: 1,
      configuration: {},
      inputArtifacts: [{ name: 'SourceOutput' }],
      outputArtifacts: [{ name: 'BuildOutput', files: ['dist/**'] }],
      commands: ['npm ci', 'npm run build'],
      environmentVariables: [{ name: 'NODE_ENV', value: 'production', type: 'PLAINTEXT' }],
      outputVariables: ['VERSION'],
      timeoutInMinutes: 30,
    });
    expect(p?.stages[1]?.onFailure).toEqual({
      result: 'RETRY',
      retryConfiguration: { retryMode: 'FAILED_ACTIONS' },
    });
    expect(p?.stages[2]?.beforeEntry?.conditions[0]?.rules[0]?.ruleTypeId.provider).toBe('DeploymentWindow');
    expect(p?.stages[2]?.actions[1]).toMatchObject({
      actionTypeId: { category: 'Deploy', provider: 'S3', version: '1' },
      runOrder: 2,
      configuration: { BucketName: 'web-#{variables.DEPLOY_ENV}', Extract: 'true' },
    });
  });

  it('accepts a variable without a default', () => {
    const { pipelines, diagnostics } = loadPipelines('name: p\nvariables:\n  TAG:\n  ENV: dev\nstages: []\n');
    expect(diagnostics).toEqual([]);
    expect(pipelines[0]?.pipeline.variables).toEqual([{ name: 'TAG' }, { name: 'ENV', defaultValue: 'dev' }]);
  });

  it('defaults executionMode to SUPERSEDED and pipelineType to V2', () => {
    const [loaded] = loadPipelines('name: p\nstages: []\n').pipelines;
    expect(loaded?.pipeline).toEqual({
      name: 'p',
      executionMode: 'SUPERSEDED',
      pipelineType: 'V2',
      variables: [],
      triggers: [],
      stages: [],
    });
  });

  it('accepts the long forms of variables, env, schedule and event triggers', () => {
    const text = [
      'name: p',
      'variables: [{ name: ENV, default: dev, description: Target }]',
      'triggers:',
      '  - schedule: { expression: rate(1 day), timezone: Europe/Paris, variables: { ENV: prod } }',
      '  - event: { pattern: { source: [aws.s3] }, variables: { ENV: test } }',
      'stages:',
      '  - name: B',
      '    actions:',
      '      - name: C',
      '        type: Build/Commands',
      '        owner: Custom',
      '        env: [{ name: TOKEN, value: my-secret, type: SECRETS_MANAGER }]',
    ].join('\n');
    const { pipelines, diagnostics } = loadPipelines(text);
    expect(diagnostics).toEqual([]);
    const p = pipelines[0]?.pipeline;
    expect(p?.variables).toEqual([{ name: 'ENV', defaultValue: 'dev', description: 'Target' }]);
    expect(p?.triggers).toEqual([
      {
        providerType: 'Schedule',
        schedule: { expression: 'rate(1 day)', timezone: 'Europe/Paris', variables: { ENV: 'prod' } },
      },
      {
        providerType: 'EventPattern',
        eventPattern: { pattern: { source: ['aws.s3'] }, variables: { ENV: 'test' } },
      },
    ]);
    expect(p?.stages[0]?.actions[0]?.actionTypeId.owner).toBe('Custom');
    expect(p?.stages[0]?.actions[0]?.environmentVariables).toEqual([
      { name: 'TOKEN', value: 'my-secret', type: 'SECRETS_MANAGER' },
    ]);
  });

  it('reports unknown keys with "did you mean" suggestions, including CodePipeline spellings', () => {
    const text = [
      'name: p',
      'stages:',
      '  - name: S',
      '    actons: []',
      '    actions:',
      '      - name: A',
      '        type: Source/Git',
      '        outputArtifacts: [Out]',
      '        colour: blue',
    ].join('\n');
    expect(messages(text)).toEqual([
      'p.yaml:4:5 stages[0].actons: unknown field "actons"; did you mean "actions"?',
      'p.yaml:8:9 stages[0].actions[0].outputArtifacts: unknown field "outputArtifacts"; did you mean "outputs"?',
      'p.yaml:9:9 stages[0].actions[0].colour: unknown field "colour"; expected one of: name, type, owner, configuration, inputs, outputs, namespace, region, roleArn, runOrder, timeoutInMinutes, commands, env, outputVariables, resourcePatterns.',
    ]);
  });

  it('reports wrong types, missing fields and bad values, and still loads with defaults', () => {
    const text = [
      'stages:',
      '  - name: S',
      '    actions:',
      '      - name: A',
      '        type: Buidl/Commands',
      '        runOrder: first',
      '        commands: npm test',
      'executionMode: queued',
    ].join('\n');
    const result = loadPipelines(text, { file: 'p.yaml' });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'p.yaml:1:1 missing required field "name" (a string); add it.',
      'p.yaml:5:15 stages[0].actions[0].type: "Buidl/Commands" is not an action type; did you mean "Build/Commands"?',
      'p.yaml:6:19 stages[0].actions[0].runOrder: expected a number, got the string "first".',
      'p.yaml:7:19 stages[0].actions[0].commands: expected a list, got the string "npm test".',
      'p.yaml:8:16 executionMode: "queued" is not allowed; expected one of SUPERSEDED, QUEUED, PARALLEL. Did you mean "QUEUED"?',
    ]);
    const p = result.pipelines[0]?.pipeline;
    expect(p?.executionMode).toBe('SUPERSEDED');
    expect(p?.stages[0]?.actions[0]?.runOrder).toBe(1);
    expect(p?.stages[0]?.actions[0]?.commands).toEqual([]);
  });

  it('reports a trigger with none or several kinds', () => {
    const text =
      'name: p\nstages: []\ntriggers:\n  - {}\n  - { schedule: rate(1 day), event: { source: [x] } }\n';
    expect(messages(text)).toEqual([
      'p.yaml:4:5 triggers[0]: a trigger needs one of "git", "schedule" or "event"; add one.',
      'p.yaml:5:5 triggers[1]: a trigger has exactly one of "git", "schedule" or "event", this one has schedule and event; split it into 2 triggers.',
    ]);
  });
});
