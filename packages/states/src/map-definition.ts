/**
 * Checks a Map state ("Map workflow state" in the Step Functions developer guide): its
 * `ItemProcessor` (or JSONPath's deprecated `Iterator`) with `ProcessorConfig`, `Items` /
 * `ItemsPath`, `MaxConcurrency`, and the fields that only a `DISTRIBUTED` Map may carry
 * (`ToleratedFailurePercentage`, `ToleratedFailureCount`, `ItemBatcher`, `ItemReader`,
 * `ResultWriter`, `Label`).
 *
 * @example
 * ```ts
 * checkMap(state, "state 'M'", 'JSONata', scope); // pushes a problem per bad field
 * ```
 */
import { isObj, isTemplate, type Obj } from './definition-checks.ts';
import { checkMachine, isPositiveInt, type Scope } from './parse-definition.ts';
import type { QueryLanguage } from './query-language.ts';

const DISTRIBUTED_ONLY = [
  'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCount',
  'ToleratedFailureCountPath',
  'ItemBatcher',
  'ItemReader',
  'ResultWriter',
  'Label',
];
const BATCHER_FIELDS = [
  'MaxItemsPerBatch',
  'MaxItemsPerBatchPath',
  'MaxInputBytesPerBatch',
  'MaxInputBytesPerBatchPath',
  'BatchInput',
];
const LABEL = /^[^\s?*<>{}[\]:;,\\|^~$#%&`"]{1,40}$/;

/** Checks a Map state's own fields and its item processor. */
export function checkMap(state: Obj, at: string, language: QueryLanguage, scope: Scope): void {
  const { problems } = scope;
  const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
  const processor = state[field];
  if (state.ItemProcessor !== undefined && state.Iterator !== undefined)
    problems.push(`${at}: fields 'ItemProcessor' and 'Iterator' exclude each other`);
  if (!isObj(processor)) {
    problems.push(`${at}: field 'ItemProcessor' is required (an object with StartAt and States)`);
    return;
  }
  const config = processor.ProcessorConfig;
  const mode = isObj(config) ? config.Mode : undefined;
  if (config !== undefined && !isObj(config))
    problems.push(`${at}: field '${field}.ProcessorConfig' must be an object`);
  if (mode !== undefined && mode !== 'INLINE' && mode !== 'DISTRIBUTED')
    problems.push(`${at}: field '${field}.ProcessorConfig.Mode' must be INLINE or DISTRIBUTED`);
  const execType = isObj(config) ? config.ExecutionType : undefined;
  if (execType !== undefined && execType !== 'STANDARD' && execType !== 'EXPRESS')
    problems.push(`${at}: field '${field}.ProcessorConfig.ExecutionType' must be STANDARD or EXPRESS`);
  if (mode === 'DISTRIBUTED' && execType === undefined)
    problems.push(`${at}: field '${field}.ProcessorConfig.ExecutionType' is required in DISTRIBUTED mode`);
  for (const key of Object.keys(processor)) {
    if (!['StartAt', 'States', 'Comment', 'ProcessorConfig'].includes(key))
      problems.push(`${at}: field '${field}.${key}' is not supported`);
  }
  if (mode !== 'DISTRIBUTED') {
    for (const f of DISTRIBUTED_ONLY)
      if (state[f] !== undefined)
        problems.push(
          `${at}: field '${f}' is only allowed in DISTRIBUTED mode (set ${field}.ProcessorConfig.Mode)`,
        );
  }
  checkNumbers(state, at, language, problems);
  if (
    language === 'JSONata' &&
    state.Items !== undefined &&
    !Array.isArray(state.Items) &&
    !isTemplate(state.Items)
  ) {
    problems.push(`${at}: field 'Items' must be an array or a JSONata expression`);
  }
  if (state.Label !== undefined && (typeof state.Label !== 'string' || !LABEL.test(state.Label))) {
    problems.push(`${at}: field 'Label' must be 1 to 40 characters without whitespace or special characters`);
  }
  checkBatcher(state.ItemBatcher, at, problems);
  for (const f of ['ItemReader', 'ResultWriter']) {
    const v = state[f];
    if (v !== undefined && (!isObj(v) || typeof v.Resource !== 'string'))
      problems.push(`${at}: field '${f}.Resource' is required`);
  }
  if (state.ItemReader !== undefined && language === 'JSONata' && state.Items !== undefined)
    problems.push(`${at}: fields 'Items' and 'ItemReader' exclude each other`);
  const inner: Scope = mode === 'DISTRIBUTED' ? { ...scope, outerVars: new Set() } : scope;
  checkMachine(processor, `${at} ${field}`, inner);
}

function checkNumbers(state: Obj, at: string, language: QueryLanguage, problems: string[]): void {
  const numeric = (f: string, ok: (n: number) => boolean, what: string) => {
    const v = state[f];
    if (v === undefined || (language === 'JSONata' && isTemplate(v))) return;
    if (typeof v !== 'number' || !ok(v))
      problems.push(
        `${at}: field '${f}' must be ${what}${language === 'JSONata' ? ' or a JSONata expression' : ''}`,
      );
  };
  numeric('MaxConcurrency', (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0 (0: no limit)');
  numeric('ToleratedFailurePercentage', (n) => n >= 0 && n <= 100, 'a number from 0 to 100');
  numeric('ToleratedFailureCount', (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0');
  for (const f of ['MaxConcurrency', 'ToleratedFailurePercentage', 'ToleratedFailureCount']) {
    if (state[f] !== undefined && state[`${f}Path`] !== undefined)
      problems.push(`${at}: fields '${f}' and '${f}Path' exclude each other`);
  }
}

function checkBatcher(batcher: unknown, at: string, problems: string[]): void {
  if (batcher === undefined) return;
  if (!isObj(batcher)) {
    problems.push(`${at}: field 'ItemBatcher' must be an object`);
    return;
  }
  for (const key of Object.keys(batcher))
    if (!BATCHER_FIELDS.includes(key)) problems.push(`${at}: field 'ItemBatcher.${key}' is not supported`);
  for (const f of ['MaxItemsPerBatch', 'MaxInputBytesPerBatch']) {
    const v = batcher[f];
    if (v !== undefined && !isTemplate(v) && !isPositiveInt(v))
      problems.push(`${at}: field 'ItemBatcher.${f}' must be a positive integer`);
  }
  if (
    ['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'].every(
      (f) => batcher[f] === undefined,
    )
  ) {
    problems.push(`${at}: field 'ItemBatcher' needs MaxItemsPerBatch or MaxInputBytesPerBatch`);
  }
}
