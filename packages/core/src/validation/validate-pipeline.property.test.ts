import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../model/pipeline.ts';
import { EMPTY_SOURCE_MAP } from '../model/source-map.ts';
import { validatePipeline } from './validate-pipeline.ts';

// Strings biased towards the characters validation cares about: variable syntax, globs, names.
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    'main',
    'SourceOutput',
    '#{',
    '#{a.b}',
    '#{variables.env}',
    '#{codepipeline.X}',
    '[z-a]',
    'v*',
    'true',
  ),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const number = fc.oneof(fc.integer({ min: -5, max: 1200 }), fc.double(), fc.constant(Number.NaN));
const typeId = fc.record({
  category: fc.constantFrom('Source', 'Build', 'Test', 'Deploy', 'Approval', 'Invoke', 'Compute', 'Other'),
  owner: fc.constantFrom('AWS', 'ThirdParty', 'Custom', 'Me'),
  provider: fc.constantFrom(
    'Git',
    'CodeCommit',
    'Commands',
    'CodeBuild',
    'Manual',
    'Lambda',
    'S3',
    'CloudFormation',
    'X',
  ),
  version: fc.constantFrom('1', '', 'v 2'),
});
const artifacts = fc.array(fc.record({ name: text }), { maxLength: 3 });
const action = fc.record({
  name: text,
  actionTypeId: typeId,
  runOrder: number,
  configuration: fc.dictionary(
    fc.constantFrom('BranchName', 'RepositoryUrl', 'Extract', 'ActionMode', 'Foo', ''),
    text,
  ),
  inputArtifacts: artifacts,
  outputArtifacts: artifacts,
  namespace: maybe(text),
  timeoutInMinutes: maybe(number),
  commands: maybe(fc.array(text, { maxLength: 3 })),
  outputVariables: maybe(fc.array(text, { maxLength: 2 })),
  environmentVariables: maybe(
    fc.array(
      fc.record({ name: text, value: text, type: fc.constantFrom('PLAINTEXT', 'SECRETS_MANAGER', 'X') }),
      { maxLength: 2 },
    ),
  ),
});
const globs = maybe(
  fc.record({
    includes: maybe(fc.array(text, { maxLength: 3 })),
    excludes: maybe(fc.array(text, { maxLength: 2 })),
  }),
);
const rule = fc.record({
  name: text,
  ruleTypeId: fc.record({
    category: fc.constant('Rule'),
    owner: fc.constant('AWS'),
    provider: fc.constantFrom('VariableCheck', 'CloudWatchAlarm', 'Nope'),
    version: fc.constant('1'),
  }),
  configuration: fc.dictionary(text, text, { maxKeys: 2 }),
  inputArtifacts: artifacts,
  commands: maybe(fc.array(text, { maxLength: 2 })),
});
const conditions = maybe(
  fc.record({
    conditions: fc.array(
      fc.record({
        result: maybe(fc.constantFrom('FAIL', 'SKIP', 'ROLLBACK', 'RETRY')),
        rules: fc.array(rule, { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
  }),
);
const trigger = fc.oneof(
  fc.record({
    providerType: fc.constant('CodeStarSourceConnection'),
    gitConfiguration: fc.record({
      sourceActionName: text,
      push: maybe(fc.array(fc.record({ branches: globs, tags: globs, filePaths: globs }), { maxLength: 4 })),
      pullRequest: maybe(
        fc.array(
          fc.record({ events: maybe(fc.array(fc.constantFrom('OPEN', 'CLOSED', 'X'))), branches: globs }),
          { maxLength: 2 },
        ),
      ),
    }),
  }),
  fc.record({
    providerType: fc.constant('Schedule'),
    schedule: fc.record({ expression: text, timezone: maybe(text) }),
  }),
  fc.record({
    providerType: fc.constant('EventPattern'),
    eventPattern: fc.record({ pattern: fc.jsonValue() }),
  }),
);
const pipeline = fc.record({
  name: text,
  roleArn: maybe(text),
  executionMode: fc.constantFrom('SUPERSEDED', 'QUEUED', 'PARALLEL', 'X'),
  pipelineType: fc.constantFrom('V1', 'V2'),
  variables: fc.array(fc.record({ name: text, defaultValue: maybe(text) }), { maxLength: 3 }),
  triggers: fc.array(trigger, { maxLength: 3 }),
  stages: fc.array(
    fc.record({
      name: text,
      actions: fc.array(action, { maxLength: 4 }),
      beforeEntry: conditions,
      onSuccess: conditions,
      onFailure: maybe(
        fc.record({
          result: maybe(fc.constantFrom('ROLLBACK', 'RETRY', 'FAIL')),
          conditions: maybe(fc.constant([])),
        }),
      ),
    }),
    { maxLength: 4 },
  ),
});

describe('validatePipeline (property)', () => {
  it('never throws and always returns well-formed diagnostics for arbitrary models', () => {
    fc.assert(
      fc.property(
        pipeline,
        fc.array(fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.nat(3)), { maxLength: 3 }), {
          maxLength: 2,
        }),
        (p, unresolved) => {
          // Act
          const diagnostics = validatePipeline({
            pipeline: p as unknown as Pipeline,
            format: 'native',
            sourceMap: EMPTY_SOURCE_MAP,
            unresolved,
          });
          // Assess
          for (const d of diagnostics) {
            expect(d.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            expect(d.code).not.toBe('validation-failed');
            expect(d.message.length).toBeGreaterThan(0);
            expect(Array.isArray(d.path)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
