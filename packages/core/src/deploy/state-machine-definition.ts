/**
 * The state machine definition deployed for a pipeline: core's compiled definition with the
 * two functions' ARNs as its resources, as the JSON string `aws.sfn.StateMachine` takes.
 */
import { compilePipeline } from '../compiler/compile-pipeline.ts';
import type { Pipeline } from '../model/pipeline.ts';

/** The ARNs the definition's Tasks invoke. @example `{ actionRunnerArn: 'arn:aws:lambda:…:function:pw-runner', stageGateArn: 'arn:aws:lambda:…:function:pw-gate' }` */
export interface DefinitionFunctions {
  actionRunnerArn: string;
  stageGateArn: string;
}

/**
 * `compilePipeline(pipeline)` with the function ARNs, as JSON (byte-identical for the same
 * pipeline and ARNs, so an unchanged pipeline never updates its state machine).
 *
 * @example
 * ```ts
 * JSON.parse(stateMachineDefinition(pipeline, { actionRunnerArn, stageGateArn })).QueryLanguage; // 'JSONata'
 * ```
 */
export function stateMachineDefinition(pipeline: Pipeline, functions: DefinitionFunctions): string {
  return JSON.stringify(
    compilePipeline(pipeline, {
      resources: { actionRunner: functions.actionRunnerArn, stageGate: functions.stageGateArn },
    }),
  );
}
