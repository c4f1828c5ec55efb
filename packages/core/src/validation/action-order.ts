import type { Action, Pipeline, Rule } from '../model/pipeline.ts';
import { arr } from './patterns.ts';

/** An action with where it sits: stage index, action index, runOrder. */
export interface PlacedAction {
  action: Action;
  stageIndex: number;
  actionIndex: number;
  runOrder: number;
}

/**
 * Every action of the pipeline, in declaration order, with its position.
 *
 * @example
 * ```ts
 * placeActions(pipeline).map((p) => p.action.name); // ['Checkout', 'Compile', 'Deploy']
 * ```
 */
export function placeActions(pipeline: Pipeline): PlacedAction[] {
  const out: PlacedAction[] = [];
  arr(pipeline.stages).forEach((stage, stageIndex) => {
    arr(stage?.actions).forEach((action, actionIndex) => {
      if (action === null || typeof action !== 'object') return;
      const runOrder =
        typeof action.runOrder === 'number' && Number.isFinite(action.runOrder) ? action.runOrder : 1;
      out.push({ action, stageIndex, actionIndex, runOrder });
    });
  });
  return out;
}

/**
 * True when `a` has finished before `b` starts: an earlier stage, or the same stage with a lower runOrder.
 *
 * @example
 * ```ts
 * runsBefore({ stageIndex: 0, runOrder: 1 }, { stageIndex: 1, runOrder: 1 }); // true
 * ```
 */
export function runsBefore(
  a: Pick<PlacedAction, 'stageIndex' | 'runOrder'>,
  b: Pick<PlacedAction, 'stageIndex' | 'runOrder'>,
): boolean {
  return a.stageIndex < b.stageIndex || (a.stageIndex === b.stageIndex && a.runOrder < b.runOrder);
}

/** The model path of a placed action. */
export function actionPath(p: Pick<PlacedAction, 'stageIndex' | 'actionIndex'>): (string | number)[] {
  return ['stages', p.stageIndex, 'actions', p.actionIndex];
}

/** The three condition kinds of a stage. */
export const CONDITION_KINDS = ['beforeEntry', 'onSuccess', 'onFailure'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/**
 * Calls `visit` for every rule of every stage condition, with its model path.
 *
 * @example
 * ```ts
 * eachRule(pipeline, (rule, path) => console.log(path)); // ['stages', 2, 'beforeEntry', 'conditions', 0, 'rules', 0]
 * ```
 */
export function eachRule(
  pipeline: Pipeline,
  visit: (rule: Rule, path: (string | number)[], stageIndex: number, kind: ConditionKind) => void,
): void {
  arr(pipeline.stages).forEach((stage, s) => {
    for (const kind of CONDITION_KINDS) {
      arr(stage?.[kind]?.conditions).forEach((condition, c) => {
        arr(condition?.rules).forEach((rule, r) => {
          if (rule !== null && typeof rule === 'object')
            visit(rule, ['stages', s, kind, 'conditions', c, 'rules', r], s, kind);
        });
      });
    }
  });
}
