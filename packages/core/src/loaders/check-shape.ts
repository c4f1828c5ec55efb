import type * as z from 'zod';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.ts';
import type { Path } from '../model/path.ts';
import { Intrinsic } from './intrinsic.ts';
import { closestMatch } from './suggest.ts';

/** Where to report and how to locate document paths. */
export interface ShapeCheckContext {
  /** Location of the value (or, with `key: true`, of the key) at a document path; nearest ancestor when unknown. */
  locate(path: Path, key?: boolean): SourceLocation;
  diagnostics: Diagnostic[];
  /** Keys users often write by mistake → the key this format uses (e.g. `inputArtifacts` → `inputs`). */
  aliases?: Readonly<Record<string, string>>;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: readonly z.ZodType[];
  valueType?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Kind of a plain document value. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'list' | 'map' | 'intrinsic';

/** The kind of a plain document value. */
export function kindOf(value: unknown): ValueKind {
  if (value instanceof Intrinsic) return 'intrinsic';
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

function unwrap(schema: z.ZodType): { schema: z.ZodType; optional: boolean } {
  let current = schema;
  let optional = false;
  for (;;) {
    const def = defOf(current);
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
      optional = true;
      current = def.innerType;
    } else return { schema: current, optional };
  }
}

function literalValues(def: Def): unknown[] {
  if (def.type === 'enum') return Object.values(def.entries ?? {});
  return [...(def.values ?? [])];
}

/** Which value kinds a schema accepts at its top level. */
function acceptedKinds(schema: z.ZodType): ValueKind[] {
  const def = defOf(unwrap(schema).schema);
  switch (def.type) {
    case 'object':
    case 'record':
      return ['map'];
    case 'array':
      return ['list'];
    case 'string':
      return ['string'];
    case 'number':
      return ['number'];
    case 'boolean':
      return ['boolean'];
    case 'enum':
    case 'literal':
      return [...new Set(literalValues(def).map(kindOf))];
    case 'union':
      return [...new Set((def.options ?? []).flatMap(acceptedKinds))];
    default:
      return ['string', 'number', 'boolean', 'null', 'list', 'map'];
  }
}

/** Human wording of what a schema expects, e.g. `a list`, `one of QUEUED, SUPERSEDED, PARALLEL`. */
export function describeExpected(schema: z.ZodType): string {
  const def = defOf(unwrap(schema).schema);
  switch (def.type) {
    case 'object':
    case 'record':
      return 'a map';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'enum':
    case 'literal': {
      const values = literalValues(def).map(String);
      return values.length === 1 ? `"${values[0]}"` : `one of ${values.join(', ')}`;
    }
    case 'union':
      return [...new Set((def.options ?? []).map(describeExpected))].join(' or ');
    default:
      return 'a value';
  }
}

function describeActual(value: unknown): string {
  const kind = kindOf(value);
  if (kind === 'string') return `the string "${String(value).slice(0, 40)}"`;
  if (kind === 'number' || kind === 'boolean') return `${kind} ${String(value)}`;
  if (kind === 'null') return 'nothing (null)';
  return `a ${kind}`;
}

function isOpen(def: Def): boolean {
  return def.catchall !== undefined && defOf(def.catchall).type !== 'never';
}

/** For unions of maps: the option whose keys best fit the value's keys. */
function bestObjectOption(options: z.ZodType[], value: Record<string, unknown>): z.ZodType | undefined {
  let best: z.ZodType | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  const keys = Object.keys(value);
  for (const option of options) {
    const def = defOf(unwrap(option).schema);
    if (def.type === 'record') {
      if (best === undefined) best = option;
      continue;
    }
    const shape = def.shape ?? {};
    const score = keys.filter((k) => k in shape).length - keys.filter((k) => !(k in shape)).length;
    if (score > bestScore) {
      best = option;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Checks the *shape* of plain document data against a zod schema and reports every problem
 * as a diagnostic with a location: `unknown-field` (with "did you mean …?"), `invalid-type`,
 * `missing-field`, `invalid-value`. Intrinsic placeholders are skipped (their loader warns).
 * Unlike `schema.safeParse`, it picks the matching branch of a union by the value's kind,
 * so messages name the real problem.
 *
 * @example
 * ```ts
 * checkShape(z.strictObject({ name: z.string() }), { nmae: 'x' }, [], ctx);
 * // ctx.diagnostics: unknown-field 'unknown field "nmae"; did you mean "name"?', missing-field …
 * ```
 */
export function checkShape(schema: z.ZodType, value: unknown, path: Path, ctx: ShapeCheckContext): void {
  const kind = kindOf(value);
  if (kind === 'intrinsic') return;
  const { schema: inner, optional } = unwrap(schema);
  if (kind === 'null' && optional) return;
  const def = defOf(inner);
  const node: ShapeNode = { value, kind, path, ctx, inner, def };
  switch (def.type) {
    case 'object':
      if (kind === 'map') checkObject(node, value as Record<string, unknown>);
      else wrongType(node);
      return;
    case 'record':
      if (kind !== 'map') wrongType(node);
      else if (def.valueType) {
        for (const [key, item] of Object.entries(value as Record<string, unknown>))
          checkShape(def.valueType, item, [...path, key], ctx);
      }
      return;
    case 'array':
      if (kind !== 'list') wrongType(node);
      else {
        (value as unknown[]).forEach((item, i) => {
          if (def.element) checkShape(def.element, item, [...path, i], ctx);
        });
      }
      return;
    case 'string':
    case 'number':
    case 'boolean':
      if (kind !== def.type) wrongType(node);
      return;
    case 'enum':
    case 'literal':
      checkLiteral(node);
      return;
    case 'union':
      checkUnion(node);
      return;
    default:
      return;
  }
}

/** One value being checked against the (unwrapped) schema at its path. */
interface ShapeNode {
  value: unknown;
  kind: ValueKind;
  path: Path;
  ctx: ShapeCheckContext;
  inner: z.ZodType;
  def: Def;
}

function report(node: ShapeNode, code: string, message: string, at: Path = node.path, key = false): void {
  node.ctx.diagnostics.push({
    severity: 'error',
    code,
    path: at,
    message,
    location: node.ctx.locate(at, key),
  });
}

function wrongType(node: ShapeNode): void {
  report(
    node,
    'invalid-type',
    `expected ${describeExpected(node.inner)}, got ${describeActual(node.value)}.`,
  );
}

function checkObject(node: ShapeNode, map: Record<string, unknown>): void {
  const { def, path, ctx } = node;
  const shape = def.shape ?? {};
  const known = Object.keys(shape);
  if (!isOpen(def)) {
    for (const key of Object.keys(map)) {
      if (key in shape) continue;
      const alias = ctx.aliases?.[key];
      const suggestion = alias !== undefined && known.includes(alias) ? alias : closestMatch(key, known);
      const hint = suggestion ? `did you mean "${suggestion}"?` : `expected one of: ${known.join(', ')}.`;
      report(node, 'unknown-field', `unknown field "${key}"; ${hint}`, [...path, key], true);
    }
  }
  for (const key of known) {
    const fieldSchema = shape[key] as z.ZodType;
    const fieldValue = Object.hasOwn(map, key) ? map[key] : undefined;
    if (fieldValue === undefined && !unwrap(fieldSchema).optional) {
      report(
        node,
        'missing-field',
        `missing required field "${key}" (${describeExpected(fieldSchema)}); add it.`,
      );
      continue;
    }
    checkShape(fieldSchema, fieldValue, [...path, key], ctx);
  }
}

function checkLiteral(node: ShapeNode): void {
  const { value, inner } = node;
  const allowed = literalValues(node.def);
  if (allowed.includes(value)) return;
  if (!acceptedKinds(inner).includes(node.kind)) {
    wrongType(node);
    return;
  }
  const suggestion = closestMatch(String(value), allowed.map(String));
  report(
    node,
    'invalid-value',
    `"${String(value)}" is not allowed; expected ${describeExpected(inner)}${suggestion ? `. Did you mean "${suggestion}"?` : '.'}`,
  );
}

function checkUnion(node: ShapeNode): void {
  const { kind, value } = node;
  const options = (node.def.options ?? []).filter((o) => acceptedKinds(o).includes(kind));
  if (options.length === 0) {
    wrongType(node);
    return;
  }
  const chosen =
    options.length === 1 || kind !== 'map'
      ? options[0]
      : bestObjectOption(options, value as Record<string, unknown>);
  if (chosen) checkShape(chosen, value, node.path, node.ctx);
}
