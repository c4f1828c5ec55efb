import { CompileError } from '../errors.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { CompileOptions } from './compile-pipeline.ts';

/**
 * Rejects what validation should already have rejected, with a path to the offending part:
 * resources that are not function names, no stages, unnamed or repeated stages and actions,
 * names Step Functions would read as JSONata, bad runOrder or timeoutInMinutes.
 *
 * @example
 * ```ts
 * checkModel(pipeline, { resources: { actionRunner: 'runner', stageGate: 'gate' } }); // throws CompileError on a bad model
 * ```
 */
export function checkModel(pipeline: Pipeline, options: CompileOptions): void {
  const { actionRunner, stageGate } = options.resources;
  for (const [key, value] of Object.entries({ actionRunner, stageGate })) {
    if (typeof value !== 'string' || value === '' || value.startsWith('{%')) {
      throw new CompileError(
        `resources.${key} must be a Lambda function name or ARN; got ${JSON.stringify(value)}`,
      );
    }
  }
  if (pipeline.stages.length === 0) {
    throw new CompileError(
      'the pipeline has no stages; add at least one stage (validate the pipeline first)',
      {
        path: ['stages'],
      },
    );
  }
  const stageNames = new Set<string>();
  pipeline.stages.forEach((stage, i) => {
    checkName(stage.name, ['stages', i, 'name'], 'stage');
    if (stageNames.has(stage.name)) {
      throw new CompileError(`stage name "${stage.name}" is used twice; stage names must be unique`, {
        path: ['stages', i, 'name'],
      });
    }
    stageNames.add(stage.name);
    if (stage.actions.length === 0) {
      throw new CompileError(`stage "${stage.name}" has no actions; add at least one action`, {
        path: ['stages', i, 'actions'],
      });
    }
    const actionNames = new Set<string>();
    stage.actions.forEach((action, j) => {
      const path = ['stages', i, 'actions', j];
      checkName(action.name, [...path, 'name'], 'action');
      if (actionNames.has(action.name)) {
        throw new CompileError(
          `action name "${action.name}" is used twice in stage "${stage.name}"; rename one`,
          {
            path: [...path, 'name'],
          },
        );
      }
      actionNames.add(action.name);
      if (!Number.isInteger(action.runOrder) || action.runOrder < 1 || action.runOrder > 999) {
        throw new CompileError(`runOrder must be an integer from 1 to 999; got ${action.runOrder}`, {
          path: [...path, 'runOrder'],
        });
      }
      const t = action.timeoutInMinutes;
      if (t !== undefined && (!Number.isInteger(t) || t < 1)) {
        throw new CompileError(`timeoutInMinutes must be a positive whole number of minutes; got ${t}`, {
          path: [...path, 'timeoutInMinutes'],
        });
      }
    });
  });
}

function checkName(name: string, path: (string | number)[], what: string): void {
  if (typeof name !== 'string' || name === '') {
    throw new CompileError(`a ${what} has no name; give it one`, { path });
  }
  // Step Functions reads a string that starts with "{%" as a JSONata expression.
  if (name.startsWith('{%')) {
    throw new CompileError(`${what} name ${JSON.stringify(name)} must not start with "{%"; rename it`, {
      path,
    });
  }
}
