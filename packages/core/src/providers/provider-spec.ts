import type * as z from 'zod';
import type { ActionCategory, ActionOwner } from '../model/pipeline.ts';

/** How many artifacts an action of a provider takes or gives (inclusive bounds). */
export interface ArtifactBounds {
  min: number;
  max: number;
}

/** Action fields beyond `configuration` that only some providers accept. */
export const ACTION_EXTRA_FIELDS = ['commands', 'outputVariables', 'environmentVariables'] as const;
export type ActionExtraField = (typeof ACTION_EXTRA_FIELDS)[number];

/**
 * What Pipewright knows about one action provider (`category/provider`): which owners it
 * accepts, its configuration schema (keys as CodePipeline documents them, values strings),
 * artifact bounds from CodePipeline's action reference, default timeout and the variables it
 * exports. A provider that CodePipeline offers in several categories (Commands, CodeBuild)
 * has one spec per category.
 *
 * `maxTimeoutMinutes` is set exactly for the providers on which `timeoutInMinutes` may be
 * declared: CodePipeline allows it on Manual approval; Pipewright also allows it on
 * Commands, CodeBuild and Lambda (an extension: CodePipeline ignores it there).
 *
 * @example
 * ```ts
 * const spec = findProvider({ category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' });
 * spec?.configuration.safeParse({ RepositoryName: 'app', BranchName: 'main' }).success; // true
 * ```
 */
export interface ProviderSpec {
  category: ActionCategory;
  provider: string;
  owners: readonly ActionOwner[];
  /** zod schema of `configuration`: unknown keys rejected, required keys enforced. */
  configuration: z.ZodType<Readonly<Record<string, string | undefined>>>;
  /** Every configuration key the schema knows, for messages and documentation. */
  configurationKeys: readonly string[];
  inputArtifacts: ArtifactBounds;
  outputArtifacts: ArtifactBounds;
  /** CodePipeline's default timeout for the action (docs/execution.md). */
  defaultTimeoutMinutes: number;
  /** Present iff `timeoutInMinutes` may be declared; its upper bound (lower bound: 5). */
  maxTimeoutMinutes?: number;
  /** Variables the action exports into its namespace; `'any'` when not known statically. */
  outputVariables: readonly string[] | 'any';
  /** Action fields beyond `configuration` this provider accepts (`commands`, …). */
  extraFields: readonly ActionExtraField[];
  /** False when the provider needs AWS (e.g. CloudFormation) and cannot run locally. */
  runsLocally: boolean;
  /**
   * True when the action waits for a long-running deployment by polling: the compiler gives
   * its Task a Wait + poll loop (docs/execution.md, "Long waits"), so no function call waits.
   */
  waitsByPolling?: boolean;
  description: string;
}
