import type { Diagnostic } from '../model/diagnostic.ts';
import type { LoadedPipeline, LoadResult, PipelineFormat } from '../model/loaded-pipeline.ts';
import { checkShape, kindOf } from './check-shape.ts';
import { loadDeclaration } from './declaration-loader.ts';
import { CLOUDFORMATION_SCHEMAS, CODEPIPELINE_SCHEMAS } from './declaration-schema.ts';
import { detectFormat } from './detect-format.ts';
import { convertLongFormIntrinsics } from './intrinsic.ts';
import { LoadContext, PipelineBuilder } from './load-context.ts';
import { loadNative } from './native-loader.ts';
import { parseWithPositions } from './parse-document.ts';

/** Options of {@link loadPipelines}. */
export interface LoadOptions {
  /** File name as the user knows it; put on every location. */
  file?: string;
  /** Skip detection and read the document in this format. */
  format?: PipelineFormat;
}

/** The CloudFormation resource type that declares a pipeline. */
export const PIPELINE_RESOURCE_TYPE = 'AWS::CodePipeline::Pipeline';

function finish(
  b: PipelineBuilder,
  pipeline: LoadedPipeline['pipeline'],
  format: PipelineFormat,
  logicalId?: string,
): LoadedPipeline {
  return {
    pipeline,
    format,
    sourceMap: b.sourceMap(),
    ...(b.ctx.file === undefined ? {} : { file: b.ctx.file }),
    ...(logicalId === undefined ? {} : { logicalId }),
    unresolved: b.unresolved,
  };
}

function loadCodePipeline(data: Record<string, unknown>, ctx: LoadContext): LoadedPipeline[] {
  const wrapped = Object.hasOwn(data, 'pipeline');
  if (wrapped) checkShape(CODEPIPELINE_SCHEMAS.getPipelineOutput, data, [], ctx);
  else checkShape(CODEPIPELINE_SCHEMAS.pipeline, data, [], ctx);
  const b = new PipelineBuilder(ctx);
  const pipeline = loadDeclaration(
    wrapped ? data.pipeline : data,
    wrapped ? ['pipeline'] : [],
    'camel',
    b,
    'unnamed-pipeline',
  );
  return [finish(b, pipeline, 'codepipeline')];
}

function loadCloudFormation(raw: Record<string, unknown>, ctx: LoadContext): LoadedPipeline[] {
  const data = convertLongFormIntrinsics(raw) as Record<string, unknown>;
  const resources = data.Resources;
  if (kindOf(resources) !== 'map') {
    ctx.report(
      'error',
      'invalid-type',
      ['Resources'],
      `expected Resources to be a map of logical ids to resources, got ${kindOf(resources)}; fix the template.`,
    );
    return [];
  }
  const out: LoadedPipeline[] = [];
  const seenTypes = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources as Record<string, unknown>)) {
    if (kindOf(resource) !== 'map') continue;
    const type = (resource as Record<string, unknown>).Type;
    if (typeof type === 'string') seenTypes.add(type);
    if (type !== PIPELINE_RESOURCE_TYPE) continue;
    const docPath = ['Resources', logicalId, 'Properties'];
    const properties = (resource as Record<string, unknown>).Properties;
    if (properties === undefined || properties === null) {
      ctx.report(
        'error',
        'missing-field',
        ['Resources', logicalId],
        `resource ${logicalId} of type ${PIPELINE_RESOURCE_TYPE} has no Properties; add Properties with at least Stages.`,
      );
      continue;
    }
    checkShape(CLOUDFORMATION_SCHEMAS.pipeline, properties, docPath, ctx);
    const b = new PipelineBuilder(ctx);
    const pipeline = loadDeclaration(properties, docPath, 'pascal', b, logicalId);
    out.push(finish(b, pipeline, 'cloudformation', logicalId));
  }
  if (out.length === 0 && !ctx.diagnostics.some((d) => d.severity === 'error')) {
    const found =
      seenTypes.size > 0 ? `found only ${[...seenTypes].sort().join(', ')}` : 'the template has no resources';
    ctx.report(
      'error',
      'no-pipeline',
      ['Resources'],
      `no resource of Type ${PIPELINE_RESOURCE_TYPE} in the template (${found}); add one, or load the template that declares the pipeline.`,
    );
  }
  return out;
}

function sortByLocation(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): number => (d.location ? d.location.line * 100_000 + d.location.col : 0);
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => key(a.d) - key(b.d) || a.i - b.i)
    .map(({ d }) => d);
}

/**
 * Loads every pipeline of one document: a CodePipeline declaration (get-pipeline JSON or the
 * same in YAML), a CloudFormation template (one pipeline per `AWS::CodePipeline::Pipeline`
 * resource), or Pipewright's native YAML. The format is detected unless given. Never throws
 * on bad input: every problem is a diagnostic with a location. Loader diagnostics carry the
 * *document* path (keys as written in the file); each pipeline's `sourceMap` maps model paths
 * back to the document.
 *
 * @example
 * ```ts
 * const { pipelines, diagnostics } = loadPipelines(text, { file: 'pipeline.yaml' });
 * for (const d of diagnostics) console.error(formatDiagnostic(d));
 * pipelines[0]?.pipeline.stages.map((s) => s.name); // ['Source', 'Build']
 * ```
 */
export function loadPipelines(text: string, options: LoadOptions = {}): LoadResult {
  const { file } = options;
  try {
    const parsed = parseWithPositions(text, file);
    if (!parsed.ok) return { pipelines: [], diagnostics: parsed.diagnostics };
    const ctx = new LoadContext(parsed.positions, file);
    const data = parsed.data;
    if (kindOf(data) !== 'map') {
      const what =
        kindOf(data) === 'null'
          ? 'the document is empty'
          : `the document is ${kindOf(data) === 'intrinsic' ? 'an intrinsic' : `a ${kindOf(data)}`}`;
      ctx.report(
        'error',
        'invalid-document',
        [],
        `${what}; a pipeline document is a map (a CodePipeline declaration, a CloudFormation template or a native pipeline with name and stages).`,
      );
      return { pipelines: [], diagnostics: ctx.diagnostics };
    }
    const map = data as Record<string, unknown>;
    const format = options.format ?? detectFormat(map);
    let pipelines: LoadedPipeline[];
    if (format === 'cloudformation') pipelines = loadCloudFormation(map, ctx);
    else if (format === 'codepipeline') pipelines = loadCodePipeline(map, ctx);
    else {
      const b = new PipelineBuilder(ctx);
      pipelines = [finish(b, loadNative(map, ctx, b), 'native')];
    }
    return { pipelines, diagnostics: sortByLocation(ctx.diagnostics) };
  } catch (cause) {
    const diagnostic: Diagnostic = {
      severity: 'error',
      code: 'internal-error',
      path: [],
      message: `Pipewright failed to load this document (${cause instanceof Error ? cause.message : String(cause)}); this is a bug, please report it with the document.`,
      location: { ...(file === undefined ? {} : { file }), line: 1, col: 1 },
    };
    return { pipelines: [], diagnostics: [diagnostic] };
  }
}
