/**
 * Names of the AWS resources `sst deploy` creates: `<app>-<stage>-<parts…>`, so every stage of
 * every app gets its own, and deterministic, so an ARN can be written down before the resource
 * exists (the state machine's definition names the functions; the functions' policies name the
 * state machines).
 *
 * A name that breaks the service's rules (a character it does not allow, or too long) is
 * shortened to what fits and gets `-<fnv1a32 of the whole name>`: stable across deploys and
 * distinct for distinct inputs.
 */
import { fnv1a32 } from '../compiler/state-names.ts';

interface NameRule {
  /** Longest name the service accepts. */
  max: number;
  /** What a whole valid name looks like. */
  pattern: RegExp;
  /** Characters replaced by `-` when a name is made to fit. */
  disallowed: RegExp;
  /** The service accepts lowercase only. */
  lowercase?: boolean;
}

/**
 * The naming rules of each kind of resource, from the services' API references.
 *
 * @example
 * ```ts
 * RESOURCE_NAME_RULES.stateMachine.max; // 80
 * ```
 */
export const RESOURCE_NAME_RULES = {
  /** Step Functions: 1–80; letters, digits, `-`, `_`, `.` (non-ASCII breaks CloudWatch logging). */
  stateMachine: { max: 80, pattern: /^[A-Za-z0-9_.-]+$/, disallowed: /[^A-Za-z0-9_.-]/g },
  /** EventBridge rule: 1–64, `[.\-_A-Za-z0-9]`. */
  eventRule: { max: 64, pattern: /^[A-Za-z0-9_.-]+$/, disallowed: /[^A-Za-z0-9_.-]/g },
  /** EventBridge Scheduler schedule: 1–64, `[0-9a-zA-Z-_.]`. */
  schedule: { max: 64, pattern: /^[A-Za-z0-9_.-]+$/, disallowed: /[^A-Za-z0-9_.-]/g },
  /** IAM role: 1–64, `[\w+=,.@-]`. */
  role: { max: 64, pattern: /^[A-Za-z0-9_+=,.@-]+$/, disallowed: /[^A-Za-z0-9_+=,.@-]/g },
  /** Lambda function: 1–64, letters, digits, `-`, `_`. */
  function: { max: 64, pattern: /^[A-Za-z0-9_-]+$/, disallowed: /[^A-Za-z0-9_-]/g },
  /** SNS standard topic: 1–256, letters, digits, `-`, `_`. */
  topic: { max: 256, pattern: /^[A-Za-z0-9_-]+$/, disallowed: /[^A-Za-z0-9_-]/g },
  /** SQS standard queue: 1–80, letters, digits, `-`, `_`. */
  queue: { max: 80, pattern: /^[A-Za-z0-9_-]+$/, disallowed: /[^A-Za-z0-9_-]/g },
  /** DynamoDB table: 3–255, `[a-zA-Z0-9_.-]`. */
  table: { max: 255, pattern: /^[A-Za-z0-9_.-]{3,}$/, disallowed: /[^A-Za-z0-9_.-]/g },
  /** EventBridge event bus: 1–256, `[.\-_A-Za-z0-9]`. */
  eventBus: { max: 256, pattern: /^[A-Za-z0-9_.-]+$/, disallowed: /[^A-Za-z0-9_.-]/g },
  /** S3 bucket: 3–63, lowercase letters, digits and `-` (no dots: they break TLS), alphanumeric at both ends. */
  bucket: {
    max: 63,
    pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    disallowed: /[^a-z0-9-]/g,
    lowercase: true,
  },
  /** CodeBuild project: 2–255, starts with a letter or digit, then letters, digits, `-`, `_`. */
  codeBuildProject: { max: 255, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]+$/, disallowed: /[^A-Za-z0-9_-]/g },
  /** KMS alias after `alias/`: letters, digits, `/`, `_`, `-` (250 leaves room for the prefix). */
  kmsAlias: { max: 250, pattern: /^[A-Za-z0-9/_-]+$/, disallowed: /[^A-Za-z0-9/_-]/g },
} as const satisfies Record<string, NameRule>;

/** A kind of resource {@link resourceName} names. @example `const kind: ResourceKind = 'stateMachine'` */
export type ResourceKind = keyof typeof RESOURCE_NAME_RULES;

/**
 * Whether `name` is a valid name of a `kind` resource.
 *
 * @example
 * ```ts
 * isValidResourceName('bucket', 'Pipewright-prod'); // false: uppercase
 * ```
 */
export function isValidResourceName(kind: ResourceKind, name: string): boolean {
  const rule: NameRule = RESOURCE_NAME_RULES[kind];
  return name.length <= rule.max && rule.pattern.test(name);
}

/**
 * The deterministic, AWS-valid name of a resource: `<app>-<stage>-<parts…>` when that is a
 * valid `kind` name, else the longest valid start of it plus `-<fnv1a32 of the whole name>`.
 *
 * @example
 * ```ts
 * resourceName('stateMachine', 'pipewright', 'prod', 'web-app'); // 'pipewright-prod-web-app'
 * resourceName('eventRule', 'pipewright', 'prod', 'a-very-long-pipeline-name-for-the-payments-service', 'trigger-1');
 * // 'pipewright-prod-a-very-long-pipeline-name-for-the-payme-7f151b24' (64 characters)
 * ```
 */
export function resourceName(kind: ResourceKind, app: string, stage: string, ...parts: string[]): string {
  const rule: NameRule = RESOURCE_NAME_RULES[kind];
  const raw = [app, stage, ...parts].join('-');
  if (isValidResourceName(kind, raw)) return raw;
  const hash = fnv1a32(raw);
  const clean = (rule.lowercase ? raw.toLowerCase() : raw).replace(rule.disallowed, '-');
  const head = clean
    .slice(0, rule.max - hash.length - 1)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return head === '' ? hash : `${head}-${hash}`;
}
