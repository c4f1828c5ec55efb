/**
 * AWS list prices (USD, us-east-1) the cost model uses, each with the page it comes from and
 * the date it was last confirmed. Update them here only, together with docs/cost.md.
 *
 * @example
 * ```ts
 * PRICES.stepFunctionsTransition.usd * 1000; // 0.025 ($ per 1,000 state transitions)
 * ```
 */

/** One unit price and where it comes from. */
export interface Price {
  /** USD per one `unit`. */
  usd: number;
  unit: string;
  source: string;
  /** When the price was last checked against `source` (YYYY-MM-DD). */
  confirmed: string;
}

/** The date every price below was last checked. */
export const PRICES_CONFIRMED = '2026-11-23';

/** us-east-1 list prices. */
export const PRICES = {
  /** Standard workflows: $0.025 per 1,000 state transitions (4,000 free per month, forever). */
  stepFunctionsTransition: {
    usd: 0.025 / 1000,
    unit: 'state transition',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    confirmed: PRICES_CONFIRMED,
  },
  /** $0.20 per 1M requests (1M free per month). */
  lambdaRequest: {
    usd: 0.2 / 1_000_000,
    unit: 'request',
    source: 'https://aws.amazon.com/lambda/pricing/',
    confirmed: PRICES_CONFIRMED,
  },
  /** x86_64 duration, first 6B GB-s per month (400,000 GB-s free per month, shared with arm64). */
  lambdaGbSecondX86: {
    usd: 0.0000166667,
    unit: 'GB-second',
    source: 'https://aws.amazon.com/lambda/pricing/',
    confirmed: PRICES_CONFIRMED,
  },
  /** arm64 (Graviton) duration, first 7.5B GB-s per month. */
  lambdaGbSecondArm: {
    usd: 0.0000133334,
    unit: 'GB-second',
    source: 'https://aws.amazon.com/lambda/pricing/',
    confirmed: PRICES_CONFIRMED,
  },
  /** On-demand write request unit, Standard table class: $0.625 per million (after the Nov 2024 50% cut). */
  dynamoWriteRequestUnit: {
    usd: 0.625 / 1_000_000,
    unit: 'write request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    confirmed: PRICES_CONFIRMED,
  },
  /** On-demand read request unit, Standard table class: $0.125 per million. */
  dynamoReadRequestUnit: {
    usd: 0.125 / 1_000_000,
    unit: 'read request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    confirmed: PRICES_CONFIRMED,
  },
  /** Custom events published to an event bus: $1.00 per million (each 64 KB chunk is one event). */
  eventBridgeCustomEvent: {
    usd: 1 / 1_000_000,
    unit: 'custom event',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    confirmed: PRICES_CONFIRMED,
  },
  /** Standard topic publish: $0.50 per million requests (1M free per month). */
  snsPublish: {
    usd: 0.5 / 1_000_000,
    unit: 'publish request',
    source: 'https://aws.amazon.com/sns/pricing/',
    confirmed: PRICES_CONFIRMED,
  },
  /** Email/email-JSON delivery: $2.00 per 100,000 notifications (1,000 free per month). */
  snsEmail: {
    usd: 2 / 100_000,
    unit: 'email notification',
    source: 'https://aws.amazon.com/sns/pricing/',
    confirmed: PRICES_CONFIRMED,
  },
  /** CodePipeline V1: $1.00 per active pipeline per month (1 free; free for the first 30 days). */
  codePipelineV1ActivePipelineMonth: {
    usd: 1,
    unit: 'active pipeline-month',
    source: 'https://aws.amazon.com/codepipeline/pricing/',
    confirmed: PRICES_CONFIRMED,
  },
  /**
   * CodePipeline V2: $0.002 per action execution minute, each action rounded up to the minute;
   * manual approval and custom action types are not charged (100 free minutes per month).
   */
  codePipelineV2ActionMinute: {
    usd: 0.002,
    unit: 'action execution minute',
    source: 'https://aws.amazon.com/codepipeline/pricing/',
    confirmed: PRICES_CONFIRMED,
  },
} as const satisfies Record<string, Price>;
