/**
 * How stages become states: their actions grouped by runOrder, and the name of every state
 * (state-names.ts holds the naming rules).
 *
 * @example
 * ```ts
 * const names = nameStates(pipeline.stages, pipeline.stages.map(groupActions), ['Start']);
 * ```
 */
import { CompileError } from '../errors.ts';
import type { Action, Stage } from '../model/pipeline.ts';
import { type PollLoopNames, polls } from './poll-loop.ts';
import { allocateStateNames, type StateNameRequest } from './state-names.ts';

/** The actions of one runOrder. @example `{ runOrder: 1, actions: [build] }` */
export interface Group {
  runOrder: number;
  actions: Action[];
}

/** The state names of one stage. @example `names.gate // 'Build.gate'` */
export interface StageNames {
  gate: string;
  enter: string;
  groups: string[];
  /** For each group, the Task name of each of its actions. */
  actions: string[][];
  leave: string;
  failed: string;
  decide: string;
  /** The long-wait loop of each polling action, by its Task name. */
  polls: Map<string, PollLoopNames>;
}

/**
 * Actions grouped by runOrder, ascending; declaration order within a group.
 *
 * @example
 * ```ts
 * groupActions(stage).map((g) => g.runOrder); // [1, 2]
 * ```
 */
export function groupActions(stage: Stage): Group[] {
  const byOrder = new Map<number, Action[]>();
  for (const action of stage.actions) {
    const list = byOrder.get(action.runOrder);
    if (list) list.push(action);
    else byOrder.set(action.runOrder, [action]);
  }
  return [...byOrder.entries()]
    .sort(([a], [b]) => a - b)
    .map(([runOrder, actions]) => ({ runOrder, actions }));
}

/**
 * The state names of every stage (gate, enter, groups and their actions, leave, failed, decide,
 * and the long-wait loop of each polling action), unique and within 80 characters; `reserved`
 * are the top-level names. Throws CompileError when two states would share a name.
 *
 * @example
 * ```ts
 * nameStates(pipeline.stages, groups, ['Start', 'Finish', 'Succeeded', 'Failed'])[0]?.gate; // 'Source.gate'
 * ```
 */
export function nameStates(
  stages: readonly Stage[],
  groupsByStage: readonly Group[][],
  reserved: readonly string[],
): StageNames[] {
  const requests: StateNameRequest[] = [];
  const ask = (stage: string, part: string, identity: unknown[], structural: boolean): number => {
    requests.push({ stage, part, identity: JSON.stringify([stage, ...identity]), structural });
    return requests.length - 1;
  };
  const loops: { task: number; check: number; wait: number; poll: number; done: number }[] = [];
  const askLoop = (s: string, action: Action, task: number): void => {
    if (!polls(action)) return;
    const part = (p: string) => ask(s, `${action.name}.${p}`, ['action', action.name, p], false);
    loops.push({ task, check: part('polling'), wait: part('wait'), poll: part('poll'), done: part('done') });
  };
  const plan = stages.map((stage, i) => {
    const s = stage.name;
    const gate = ask(s, 'gate', ['gate'], true);
    const enter = ask(s, 'enter', ['enter'], true);
    const groups: number[] = [];
    const actions: number[][] = [];
    for (const group of groupsByStage[i] as Group[]) {
      if (group.actions.length === 1) {
        const a = ask(
          s,
          (group.actions[0] as Action).name,
          ['action', (group.actions[0] as Action).name],
          false,
        );
        groups.push(a);
        actions.push([a]);
        askLoop(s, group.actions[0] as Action, a);
      } else {
        groups.push(ask(s, `run${group.runOrder}`, ['run', group.runOrder], true));
        actions.push(
          group.actions.map((action) => {
            const a = ask(s, action.name, ['action', action.name], false);
            askLoop(s, action, a);
            return a;
          }),
        );
      }
    }
    const leave = ask(s, 'leave', ['leave'], true);
    const failed = ask(s, 'failed', ['failed'], true);
    const decide = ask(s, 'decide', ['decide'], true);
    return { gate, enter, groups, actions, leave, failed, decide };
  });
  const allocated = allocateStateNames(requests, reserved);
  const all = new Set<string>(reserved);
  for (const name of allocated) {
    if (all.has(name)) {
      throw new CompileError(
        `two states would both be named "${name}"; rename the stage or action so their names differ`,
      );
    }
    all.add(name);
  }
  const at = (i: number): string => allocated[i] as string;
  const polling = new Map<string, PollLoopNames>();
  for (const l of loops) {
    const names = {
      task: at(l.task),
      check: at(l.check),
      wait: at(l.wait),
      poll: at(l.poll),
      done: at(l.done),
    };
    polling.set(names.task, names);
  }
  return plan.map((p) => ({
    polls: polling,
    gate: at(p.gate),
    enter: at(p.enter),
    groups: p.groups.map(at),
    actions: p.actions.map((list) => list.map(at)),
    leave: at(p.leave),
    failed: at(p.failed),
    decide: at(p.decide),
  }));
}
