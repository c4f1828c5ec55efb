import type { PipelineFormat } from '../model/loaded-pipeline.ts';
import { Intrinsic } from './intrinsic.ts';

function isMap(value: unknown): value is Record<string, unknown> {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Intrinsic)
  );
}

/**
 * Which format a parsed document is in:
 * - `cloudformation` when it has `Resources` or `AWSTemplateFormatVersion`;
 * - `codepipeline` when it has a top-level `pipeline` map (get-pipeline output), or a
 *   top-level `stages` list whose actions use `actionTypeId`, or `artifactStore`,
 *   `artifactStores` or `roleArn` at top level (fields the native format does not have);
 * - `native` otherwise.
 *
 * @example
 * ```ts
 * detectFormat({ Resources: {} }); // 'cloudformation'
 * detectFormat({ pipeline: { name: 'p', stages: [] } }); // 'codepipeline'
 * detectFormat({ name: 'p', stages: [] }); // 'native'
 * ```
 */
export function detectFormat(data: unknown): PipelineFormat {
  if (!isMap(data)) return 'native';
  if ('Resources' in data || 'AWSTemplateFormatVersion' in data) return 'cloudformation';
  if (isMap(data.pipeline)) return 'codepipeline';
  if ('artifactStore' in data || 'artifactStores' in data || 'roleArn' in data) return 'codepipeline';
  const stages = Array.isArray(data.stages) ? data.stages : [];
  const usesActionTypeId = stages.some(
    (stage) =>
      isMap(stage) &&
      Array.isArray(stage.actions) &&
      stage.actions.some((a) => isMap(a) && 'actionTypeId' in a),
  );
  return usesActionTypeId ? 'codepipeline' : 'native';
}
