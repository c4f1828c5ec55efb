/**
 * JSON text of a history event, written when it is first read. The runtime records the values
 * of `input`/`output` fields as they are (they are never mutated once produced) and turns them
 * into text only when the history leaves the runtime (`getExecutionHistory`,
 * `onHistoryEvent`): recording a transition then costs no serialization, and the events of a
 * state's output and the next state's input share one value.
 *
 * @example
 * ```ts
 * const event = { type: 'PassStateExited', stateExitedEventDetails: { name: 'P', output: lazyJson({ a: 1 }) } };
 * materialize(event).stateExitedEventDetails.output; // '{"a":1}'
 * ```
 */

/** A value recorded for a JSON text field. */
export class LazyJson {
  readonly value: unknown;
  #text: string | undefined;
  constructor(value: unknown) {
    this.value = value;
  }
  /** The JSON text (computed once). */
  toJSON(): string {
    if (this.#text === undefined) this.#text = JSON.stringify(this.value ?? null);
    return this.#text;
  }
  toString(): string {
    return this.toJSON();
  }
}

/** A value recorded where the history type holds JSON text. */
export function lazyJson(value: unknown): string {
  return new LazyJson(value) as unknown as string;
}

/** The value of a JSON text field, recorded lazily or as text. */
export function jsonValue(field: string | undefined): unknown {
  if ((field as unknown) instanceof LazyJson) return (field as unknown as LazyJson).value;
  return JSON.parse(field ?? 'null');
}

/** A copy of an event whose lazily recorded fields are JSON text. */
export function materialize<T extends object>(event: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (value instanceof LazyJson) out[key] = value.toJSON();
    else if (typeof value === 'object' && value !== null && !Array.isArray(value))
      out[key] = materialize(value);
    else out[key] = value;
  }
  return out as T;
}
