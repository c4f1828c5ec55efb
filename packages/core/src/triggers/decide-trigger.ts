/**
 * What a delivery does to one pipeline — pure: the caller reads and appends.
 *
 * - git events go through `matchTrigger` for each of the pipeline's git triggers (and change
 *   detection of source actions no trigger names), after checking the event comes from the
 *   repository the trigger's source action reads (when both are known);
 * - EventBridge-shaped events go through `matchEventPattern` for each `EventPattern` trigger;
 * - a schedule tick matches the `Schedule` trigger with its expression and time zone.
 *
 * The first trigger that matches starts an execution with its `variables` (literal values; the
 * trigger's map is not a JSON-path template). Every delivery gives exactly one `TriggerReceived`
 * (id `<pipeline>:<triggerId>:TriggerReceived`), matched or not, with the reason.
 */
import type { NewEvent } from '../events/event-envelope.ts';
import type { EventActor, ExecutionTrigger, SourceRevision } from '../events/event-parts.ts';
import { type TriggerReceived, triggerReceived } from '../events/pipeline-stream-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { matchEventPattern } from './event-pattern.ts';
import { explainEventMismatch } from './explain-event-mismatch.ts';
import { type GitEvent, parseRef } from './git-event.ts';
import {
  fixedValue,
  type GitTriggerSource,
  gitTriggerSources,
  sourceRepository,
} from './git-trigger-sources.ts';
import { matchTrigger } from './match-trigger.ts';
import { POLL_SOURCE, sourceChangeTriggers, sourcePolls } from './source-change-events.ts';
import type {
  EventDelivery,
  GitDelivery,
  ScheduleDelivery,
  TriggerDelivery,
  TriggerResult,
} from './trigger-delivery.ts';

/** The execution a matched delivery starts (its id was recorded in the `TriggerReceived`). */
export interface TriggerStart {
  executionId: string;
  /** Values of pipeline variables the trigger sets. */
  variables: Record<string, string>;
  trigger: ExecutionTrigger;
  actor: EventActor;
  /** The revision the git event names, for the source action the trigger watches. */
  sourceRevisions?: SourceRevision[];
}

/** Result of {@link decideTrigger}. */
export interface TriggerDecision {
  /** Exactly one `TriggerReceived`, to append to the pipeline's trigger stream (`triggerStream`). */
  events: [NewEvent<TriggerReceived>];
  result: TriggerResult;
  /** Present when the delivery matched: start this execution after appending `events`. */
  start?: TriggerStart;
}

interface Outcome {
  matched: boolean;
  reason: string;
  trigger: ExecutionTrigger;
  actor: EventActor;
  source: string;
  variables?: Record<string, string>;
  sourceRevisions?: SourceRevision[];
}

function shortSha(sha: string | undefined): string {
  return sha ? ` (${sha.slice(0, 7)})` : '';
}

function describeGit(event: GitEvent): string {
  if (event.kind === 'push') {
    const ref = parseRef(event.ref);
    const what = ref.type === 'other' ? `push of ${event.ref}` : `push to ${ref.type} "${ref.name}"`;
    return `${what}${shortSha(event.commitId)}`;
  }
  const number = event.number === undefined ? '' : ` #${event.number}`;
  const from = parseRef(event.sourceBranch).name;
  const to = parseRef(event.destinationBranch).name;
  return `pull request${number} ${event.action} ${from} → ${to}${shortSha(event.commitId)}`;
}

function gitSource(provider: string, event: GitEvent): string {
  const repo = event.repository ?? '';
  if (event.kind === 'push') return `${provider}:${repo}@${event.ref}`;
  return `${provider}:${repo}${event.number === undefined ? '' : `#${event.number}`}`;
}

function repositoryFailure(s: GitTriggerSource, event: GitEvent): string | undefined {
  const wanted = s.action ? sourceRepository(s.action) : undefined;
  if (wanted === undefined || event.repository === undefined) return undefined;
  if (wanted.toLowerCase() === event.repository.toLowerCase()) return undefined;
  return `source action "${s.trigger.gitConfiguration.sourceActionName}" reads ${wanted}; this event is from ${event.repository}`;
}

/** CodePipeline's trigger type for a git event: a poll is `PollForSourceChanges`, a webhook `WebhookV2`. */
function gitTriggerType(provider: string): ExecutionTrigger['triggerType'] {
  return provider === 'poller' ? 'PollForSourceChanges' : 'WebhookV2';
}

function decideGit(pipeline: Pipeline, d: GitDelivery): Outcome {
  const provider = d.provider ?? 'git';
  const source = gitSource(provider, d.event);
  const base = {
    trigger: { triggerType: gitTriggerType(provider), triggerDetail: source } as ExecutionTrigger,
    actor: { kind: 'trigger', id: provider } as EventActor,
    source,
  };
  const sources = gitTriggerSources(pipeline);
  if (sources.length === 0) {
    return {
      ...base,
      matched: false,
      reason:
        'no trigger of this pipeline takes git events, and no git source action detects changes; add a git trigger',
    };
  }
  const reasons: string[] = [];
  for (const s of sources) {
    const failure =
      repositoryFailure(s, d.event) ??
      (() => {
        const defaultBranch = fixedValue(s.action?.configuration.BranchName);
        const m = matchTrigger(s.trigger, d.event, defaultBranch ? { defaultBranch } : {});
        return m.matched ? undefined : m.reason;
      })();
    if (failure === undefined) {
      const actionName = s.trigger.gitConfiguration.sourceActionName;
      const summary = d.event.kind === 'push' ? d.event.commitMessage : d.event.title;
      return {
        ...base,
        matched: true,
        reason: `${describeGit(d.event)} matches ${s.label}`,
        ...(d.event.commitId === undefined
          ? {}
          : {
              sourceRevisions: [
                {
                  actionName,
                  revisionId: d.event.commitId,
                  ...(summary === undefined ? {} : { revisionSummary: summary }),
                },
              ],
            }),
      };
    }
    reasons.push(sources.length === 1 ? failure : `${s.label}: ${failure}`);
  }
  return { ...base, matched: false, reason: `${describeGit(d.event)}: ${reasons.join('; ')}` };
}

function decideEvent(pipeline: Pipeline, d: EventDelivery): Outcome {
  const e = d.event;
  if (e.source === POLL_SOURCE) return decidePoll(pipeline, e);
  const source = `events:${e.source}/${e['detail-type']}`;
  const base = {
    trigger: { triggerType: 'CloudWatchEvent', triggerDetail: `${source} ${e.id}` } as ExecutionTrigger,
    actor: { kind: 'trigger', id: e.source } as EventActor,
    source,
  };
  const triggers = pipeline.triggers.flatMap((t, i) =>
    t.providerType === 'EventPattern' ? [{ t, n: i + 1 }] : [],
  );
  const changes = sourceChangeTriggers(pipeline);
  if (triggers.length === 0 && changes.length === 0) {
    return { ...base, matched: false, reason: 'no trigger of this pipeline takes EventBridge events' };
  }
  const change = changes.find((c) => matchEventPattern(c.eventPattern, e));
  if (change !== undefined) {
    const revisionId = change.revisionOf(e);
    return {
      ...base,
      matched: true,
      reason: `event ${e.source} "${e['detail-type']}" is one of the ${change.label}`,
      ...(revisionId === undefined
        ? {}
        : { sourceRevisions: [{ actionName: change.actionName, revisionId }] }),
    };
  }
  const reasons: string[] = [];
  for (const { t, n } of triggers) {
    if (matchEventPattern(t.eventPattern.pattern, e)) {
      return {
        ...base,
        matched: true,
        reason: `event ${e.source} "${e['detail-type']}" matches the event pattern of trigger ${n}`,
        variables: { ...(t.eventPattern.variables ?? {}) },
      };
    }
    const why = explainEventMismatch(t.eventPattern.pattern, e) ?? 'it does not match';
    reasons.push(`the event pattern of trigger ${n} does not match: ${why}`);
  }
  for (const c of changes) reasons.push(`it is not one of the ${c.label}`);
  return { ...base, matched: false, reason: reasons.join('; ') };
}

/** A poll of an S3 source saw a version: `PollForSourceChanges`, that version as the source revision. */
function decidePoll(pipeline: Pipeline, e: EventDelivery['event']): Outcome {
  const detail = e.detail as { action?: unknown; 'version-id'?: unknown };
  const poll = sourcePolls(pipeline).find((p) => p.actionName === detail.action);
  const version = typeof detail['version-id'] === 'string' ? detail['version-id'] : '';
  const where = poll === undefined ? '' : `s3://${poll.bucket}/${poll.key}`;
  const base = {
    trigger: {
      triggerType: 'PollForSourceChanges',
      triggerDetail: `${where} version ${version}`,
    } as ExecutionTrigger,
    actor: { kind: 'trigger', id: 'poller' } as EventActor,
    source: `poll:${where}`,
  };
  if (poll === undefined || version === '') {
    return {
      ...base,
      matched: false,
      reason: `no polled S3 source action is named ${JSON.stringify(detail.action)} in this pipeline (or the poll saw no version)`,
    };
  }
  return {
    ...base,
    matched: true,
    reason: `a poll of source action "${poll.actionName}" saw ${where} version ${version}`,
    sourceRevisions: [{ actionName: poll.actionName, revisionId: version }],
  };
}

function zone(timezone: string | undefined): string {
  return timezone === undefined || timezone.trim() === '' ? 'UTC' : timezone.trim();
}

function decideSchedule(pipeline: Pipeline, d: ScheduleDelivery): Outcome {
  const tz = zone(d.timezone);
  const described = `${d.expression.trim()}${tz === 'UTC' ? '' : ` (${tz})`}`;
  const base = {
    trigger: { triggerType: 'Schedule', triggerDetail: described } as ExecutionTrigger,
    actor: { kind: 'trigger', id: 'schedule' } as EventActor,
    source: `schedule:${described}`,
  };
  const schedules = pipeline.triggers.flatMap((t, i) =>
    t.providerType === 'Schedule' ? [{ t, n: i + 1 }] : [],
  );
  const hit = schedules.find(
    ({ t }) => t.schedule.expression.trim() === d.expression.trim() && zone(t.schedule.timezone) === tz,
  );
  if (hit) {
    return {
      ...base,
      matched: true,
      reason: `schedule ${described} of trigger ${hit.n} fired at ${d.at}`,
      variables: { ...(hit.t.schedule.variables ?? {}) },
    };
  }
  const has = schedules.map(
    ({ t }) =>
      `${t.schedule.expression}${zone(t.schedule.timezone) === 'UTC' ? '' : ` (${zone(t.schedule.timezone)})`}`,
  );
  return {
    ...base,
    matched: false,
    reason:
      has.length === 0
        ? `no Schedule trigger of this pipeline has ${described}; it has no schedule`
        : `no Schedule trigger of this pipeline has ${described}; its schedules: ${has.join(', ')}`,
  };
}

function outcomeOf(pipeline: Pipeline, delivery: TriggerDelivery): Outcome {
  if (delivery.kind === 'event') return decideEvent(pipeline, delivery);
  if (delivery.kind === 'schedule') return decideSchedule(pipeline, delivery);
  if ('ignored' in delivery) {
    const provider = delivery.provider ?? 'git';
    const source = delivery.source ?? provider;
    return {
      matched: false,
      reason: delivery.ignored,
      trigger: { triggerType: gitTriggerType(provider), triggerDetail: source },
      actor: { kind: 'trigger', id: provider },
      source,
    };
  }
  return decideGit(pipeline, delivery);
}

/**
 * Decides what a delivery does to `pipeline`: the `TriggerReceived` to record and, when a trigger
 * matched, the execution to start with id `newExecutionId`.
 *
 * @example
 * ```ts
 * const d = decideTrigger(pipeline, {
 *   kind: 'git', provider: 'github', triggerId: 'gh-1', at,
 *   event: { kind: 'push', ref: 'refs/heads/feature/x' },
 * }, '7f0c');
 * d.result; // { triggerId: 'gh-1', matched: false, reason: 'push to branch "feature/x": branch "feature/x" is not included by push filter 1 (includes: main)' }
 * d.start; // undefined
 * ```
 */
export function decideTrigger(
  pipeline: Pipeline,
  delivery: TriggerDelivery,
  newExecutionId: string,
): TriggerDecision {
  const o = outcomeOf(pipeline, delivery);
  const event = triggerReceived({
    pipelineName: pipeline.name,
    at: delivery.at,
    actor: o.actor,
    triggerId: delivery.triggerId,
    trigger: o.trigger,
    source: o.source,
    matched: o.matched,
    reason: o.reason,
    ...(o.matched ? { pipelineExecutionId: newExecutionId } : {}),
  });
  const result: TriggerResult = {
    triggerId: delivery.triggerId,
    matched: o.matched,
    reason: o.reason,
    ...(o.matched ? { executionId: newExecutionId } : {}),
  };
  if (!o.matched) return { events: [event], result };
  return {
    events: [event],
    result,
    start: {
      executionId: newExecutionId,
      variables: o.variables ?? {},
      trigger: o.trigger,
      actor: o.actor,
      ...(o.sourceRevisions ? { sourceRevisions: o.sourceRevisions } : {}),
    },
  };
}
