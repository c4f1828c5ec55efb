/**
 * Which git triggers a pipeline has for git events: its `CodeStarSourceConnection` triggers,
 * plus — as CodePipeline does — change detection on each git source action no trigger names
 * (`DetectChanges` not `false`): a push to the action's branch starts the pipeline.
 */
import type { Action, Pipeline, Trigger } from '../model/pipeline.ts';

type GitTrigger = Extract<Trigger, { providerType: 'CodeStarSourceConnection' }>;

/** One way a git event can start the pipeline. */
export interface GitTriggerSource {
  trigger: GitTrigger;
  /** The source action the trigger names (absent when no action has that name). */
  action?: Action;
  /** 1-based position in `pipeline.triggers`; absent for change detection. */
  index?: number;
  /** For reasons: `git trigger 1 (source action "Source")` or `change detection of source action "Source"`. */
  label: string;
}

/** Source providers whose `DetectChanges` starts the pipeline on a push. */
const DETECTING_PROVIDERS = new Set(['CodeStarSourceConnection', 'Git']);

/** A configuration value without variables, or undefined. */
export function fixedValue(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' && !value.includes('#{') ? value.trim() : undefined;
}

function sourceActions(pipeline: Pipeline): Action[] {
  return pipeline.stages.flatMap((s) => s.actions.filter((a) => a.actionTypeId.category === 'Source'));
}

/**
 * The `owner/repo` a source action reads, when it is known: `FullRepositoryId`, GitHub's
 * `Owner`/`Repo`, or a Git source's `RepositoryUrl` on github.com.
 *
 * @example
 * ```ts
 * sourceRepository(gitAction({ RepositoryUrl: 'https://github.com/acme/web.git' })); // 'acme/web'
 * ```
 */
export function sourceRepository(action: Action): string | undefined {
  const c = action.configuration;
  const full = fixedValue(c.FullRepositoryId);
  if (full) return full;
  const owner = fixedValue(c.Owner);
  const repo = fixedValue(c.Repo);
  if (owner && repo) return `${owner}/${repo}`;
  const url = fixedValue(c.RepositoryUrl);
  const m = url ? /github\.com[:/]+([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(url) : null;
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/**
 * The pipeline's ways to start on a git event, in order: its git triggers, then change detection.
 *
 * @example
 * ```ts
 * gitTriggerSources(pipeline).map((s) => s.label);
 * // ['git trigger 1 (source action "Source")']
 * ```
 */
export function gitTriggerSources(pipeline: Pipeline): GitTriggerSource[] {
  const actions = sourceActions(pipeline);
  const out: GitTriggerSource[] = [];
  const named = new Set<string>();
  for (const [i, trigger] of pipeline.triggers.entries()) {
    if (trigger.providerType !== 'CodeStarSourceConnection') continue;
    const name = trigger.gitConfiguration.sourceActionName;
    named.add(name);
    const action = actions.find((a) => a.name === name);
    out.push({
      trigger,
      ...(action ? { action } : {}),
      index: i + 1,
      label: `git trigger ${i + 1} (source action "${name}")`,
    });
  }
  for (const action of actions) {
    if (named.has(action.name) || !DETECTING_PROVIDERS.has(action.actionTypeId.provider)) continue;
    if (action.configuration.DetectChanges?.trim().toLowerCase() === 'false') continue;
    out.push({
      trigger: {
        providerType: 'CodeStarSourceConnection',
        gitConfiguration: { sourceActionName: action.name },
      },
      action,
      label: `change detection of source action "${action.name}"`,
    });
  }
  return out;
}
