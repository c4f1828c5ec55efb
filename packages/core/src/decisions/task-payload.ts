/**
 * The payloads the compiled state machine sends to the two functions (docs/execution.md):
 * identifiers only, plus the task token for `.waitForTaskToken` tasks and the caught error
 * for a stage failure.
 *
 * @example
 * ```ts
 * const payload = parseTaskPayload({ kind: 'gate', pipeline: 'web-app', executionId: '7f0c', stage: 'Build', attempt: 0, taskToken: 't' });
 * payload.kind; // 'gate'
 * ```
 */
import * as z from 'zod';
import { TaskPayloadError } from '../errors.ts';

const Common = {
  pipeline: z.string().min(1),
  executionId: z.string().min(1),
  attempt: z.int().nonnegative(),
};
const Staged = { ...Common, stage: z.string().min(1), taskToken: z.string().min(1) };

/** The caught error a stage failure carries (`$states.errorOutput`). @example `{ Error: 'Pipewright.ActionFailed', Cause: '…' }` */
export const CaughtErrorSchema = z.object({ Error: z.string().optional(), Cause: z.string().optional() });
/** @see CaughtErrorSchema @example `{ Error: 'States.Timeout' }` */
export type CaughtError = z.infer<typeof CaughtErrorSchema>;

/**
 * The zod schema of every task payload, discriminated on `kind`.
 *
 * @example
 * ```ts
 * TaskPayloadSchema.safeParse(raw).success;
 * ```
 */
export const TaskPayloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gate'), ...Staged }),
  z.object({
    kind: z.literal('action'),
    ...Staged,
    action: z.string().min(1),
    /** Present on a poll of a long wait (see `ActionProgress`): the attempt and the provider's state. */
    progress: z
      .object({ actionExecutionId: z.string().min(1), state: z.record(z.string(), z.unknown()) })
      .optional(),
  }),
  z.object({ kind: z.literal('leave'), ...Staged }),
  z.object({ kind: z.literal('stageFailed'), ...Staged, error: CaughtErrorSchema }),
  z.object({ kind: z.literal('finish'), ...Common }),
]);

/** One task payload. @example `if (p.kind === 'action') p.action` */
export type TaskPayload = z.infer<typeof TaskPayloadSchema>;
/** The payload of one kind. @example `TaskPayloadOf<'stageFailed'>['error']` */
export type TaskPayloadOf<K extends TaskPayload['kind']> = Extract<TaskPayload, { kind: K }>;

/**
 * Validates a payload received from the state machine. Throws `TaskPayloadError` (PW1007)
 * naming the field when it is not one our compiler produces.
 *
 * @example
 * ```ts
 * parseTaskPayload({ kind: 'finish', pipeline: 'p', executionId: 'e', attempt: 0 }).kind; // 'finish'
 * ```
 */
export function parseTaskPayload(raw: unknown): TaskPayload {
  const result = TaskPayloadSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.filter((p): p is string | number => typeof p !== 'symbol') ?? [];
  throw new TaskPayloadError(
    `not a Pipewright task payload: ${path.length > 0 ? `${path.join('.')}: ` : ''}${issue?.message ?? 'invalid'}; the state machine must be compiled by this version of Pipewright (recompile and redeploy it)`,
    { path },
  );
}
