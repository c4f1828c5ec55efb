import { didYouMean } from '../variables/index.ts';
import { actionPath, type PlacedAction, placeActions, runsBefore } from './action-order.ts';
import { arr, describeAction, listOf } from './patterns.ts';
import type { ValidationContext } from './validation-context.ts';

interface Producer {
  placed: PlacedAction;
  outputIndex: number;
}

function producersByName(ctx: ValidationContext, placed: readonly PlacedAction[]): Map<string, Producer[]> {
  const byName = new Map<string, Producer[]>();
  for (const p of placed) {
    arr(p.action.outputArtifacts).forEach((artifact, k) => {
      const name = artifact?.name;
      if (typeof name !== 'string' || ctx.isUnresolved([...actionPath(p), 'outputArtifacts', k, 'name']))
        return;
      const list = byName.get(name) ?? [];
      if (list.length > 0) {
        const first = list[0] as Producer;
        ctx.error(
          'duplicate-output-artifact',
          [...actionPath(p), 'outputArtifacts', k, 'name'],
          `artifact "${name}" is already produced by ${describeAction(first.placed.stageIndex, first.placed.actionIndex, first.placed.action.name)}; output artifact names must be unique in the pipeline: rename one`,
        );
      }
      list.push({ placed: p, outputIndex: k });
      byName.set(name, list);
    });
  }
  return byName;
}

function available(producers: Map<string, Producer[]>, before: (p: PlacedAction) => boolean): string[] {
  return [...producers.entries()].filter(([, list]) => list.some((x) => before(x.placed))).map(([n]) => n);
}

function missingMessage(name: string, availableNames: readonly string[]): string {
  const suggestion = didYouMean(name, availableNames);
  const hint = suggestion !== undefined ? `did you mean "${suggestion}"? ` : '';
  const list =
    availableNames.length > 0
      ? `artifacts available here: ${listOf(availableNames.map((n) => `"${n}"`))}`
      : 'no artifact is produced before this point';
  return `artifact "${name}" is not produced by any earlier action; ${hint}${list}. Name the output artifact of an earlier action`;
}

/**
 * Artifacts: each input artifact is an output of an action that runs earlier (an earlier
 * stage, or a lower runOrder in the same stage); output artifact names are unique; outputs
 * of a stage before the last that nobody consumes get a warning. Rule input artifacts of stage conditions are checked too.
 *
 * @example
 * ```ts
 * checkArtifacts(ctx); // e.g. 'stages[1].actions[0].inputArtifacts[0]: artifact "BuildOut" is not produced …'
 * ```
 */
export function checkArtifacts(ctx: ValidationContext): void {
  const placed = placeActions(ctx.pipeline);
  const producers = producersByName(ctx, placed);
  const consumed = new Set<string>();

  for (const p of placed) {
    arr(p.action.inputArtifacts).forEach((artifact, k) => {
      const name = artifact?.name;
      const path = [...actionPath(p), 'inputArtifacts', k];
      if (typeof name !== 'string' || ctx.isUnresolved([...path, 'name'])) return;
      consumed.add(name);
      const list = producers.get(name) ?? [];
      if (list.some((x) => runsBefore(x.placed, p))) return;
      const later = list[0]?.placed;
      if (later === undefined) {
        ctx.error(
          'artifact-not-produced',
          path,
          missingMessage(
            name,
            available(producers, (x) => runsBefore(x, p)),
          ),
        );
        return;
      }
      const who = describeAction(later.stageIndex, later.actionIndex, later.action.name);
      if (later === p)
        ctx.error(
          'artifact-produced-later',
          path,
          `artifact "${name}" is an output of this same action; an action cannot consume its own output: consume an artifact of an earlier action`,
        );
      else if (later.stageIndex === p.stageIndex && later.runOrder === p.runOrder)
        ctx.error(
          'artifact-produced-later',
          path,
          `artifact "${name}" is produced by ${who}, which runs in parallel with this action (both runOrder ${p.runOrder}); give this action a higher runOrder than ${later.runOrder}`,
        );
      else
        ctx.error(
          'artifact-produced-later',
          path,
          `artifact "${name}" is produced by ${who}, which runs later; move that action to an earlier stage or a lower runOrder, or move this one after it`,
        );
    });
  }

  arr(ctx.pipeline.stages).forEach((stage, s) => {
    for (const kind of ['beforeEntry', 'onSuccess', 'onFailure'] as const) {
      arr(stage?.[kind]?.conditions).forEach((condition, c) => {
        arr(condition?.rules).forEach((rule, r) => {
          arr(rule?.inputArtifacts).forEach((artifact, k) => {
            const name = artifact?.name;
            const path = ['stages', s, kind, 'conditions', c, 'rules', r, 'inputArtifacts', k];
            if (typeof name !== 'string' || ctx.isUnresolved([...path, 'name'])) return;
            consumed.add(name);
            const before = (x: PlacedAction): boolean =>
              kind === 'beforeEntry' ? x.stageIndex < s : x.stageIndex <= s;
            if ((producers.get(name) ?? []).some((x) => before(x.placed))) return;
            ctx.error('artifact-not-produced', path, missingMessage(name, available(producers, before)));
          });
        });
      });
    }
  });

  // Outputs of the last stage are the pipeline's deliverables: only earlier unused outputs are suspicious.
  const lastStage = arr(ctx.pipeline.stages).length - 1;
  for (const [name, list] of producers) {
    if (consumed.has(name)) continue;
    for (const { placed: p, outputIndex } of list.filter((x) => x.placed.stageIndex < lastStage))
      ctx.warn(
        'unused-output-artifact',
        [...actionPath(p), 'outputArtifacts', outputIndex],
        `artifact "${name}" is produced but no action consumes it; consume it in a later action or remove it`,
      );
  }
}
