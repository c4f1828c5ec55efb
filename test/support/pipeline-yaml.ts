/** Pipeline files for tests that serve a directory holding a git repository `./repo`. */

/**
 * The YAML of a `Source` stage whose `Checkout` action reads branch `main` of `./repo` into
 * `SourceOutput`; starts with `stages:`, for a test's own stages to follow.
 *
 * @example
 * ```ts
 * const yaml = `name: demo\n${GIT_SOURCE_STAGE}  - name: Build\n    actions: …`;
 * ```
 */
export const GIT_SOURCE_STAGE = `stages:
  - name: Source
    actions:
      - name: Checkout
        type: Source/Git
        configuration: { RepositoryUrl: ./repo, BranchName: main }
        outputs: [SourceOutput]
`;

/**
 * A pipeline named `name`: the {@link GIT_SOURCE_STAGE}, then stage `stage` with one Commands
 * action `action` of `category` running `command` on the source. `head` goes between the name
 * and the stages (execution mode, triggers).
 *
 * @example
 * ```ts
 * writeFileSync('pipelines/p.yaml', commandPipelineYaml({ name: 'p', command: 'true' }));
 * ```
 */
export function commandPipelineYaml(o: {
  name: string;
  command: string;
  head?: string;
  stage?: string;
  action?: string;
  category?: 'Build' | 'Test';
}): string {
  return `name: ${o.name}
${o.head ?? ''}${GIT_SOURCE_STAGE}  - name: ${o.stage ?? 'Build'}
    actions:
      - name: ${o.action ?? 'Run'}
        type: ${o.category ?? 'Build'}/Commands
        inputs: [SourceOutput]
        commands:
          - ${JSON.stringify(o.command)}
`;
}
