/**
 * Pipeline files a team of many services would have, generated, for the deployment-scale tests
 * (`pipewright plan` and `sst deploy`'s check on 1, 30 and 200 pipelines): a GitHub source
 * through a CodeStar connection, a build and tests on the runner, a manual approval emailing its
 * team (every second pipeline), a deploy with commands; one shared connection; every fifth pipeline builds in its own CodeBuild project and
 * deploys a CloudFormation stack in another account (its `roleArn`), every tenth also starts on an event pattern, every third on a
 * schedule.
 */

/** One generated file. @example `{ file: 'pipelines/service-007.yaml', text: 'name: service-007\n…' }` */
export interface GeneratedPipelineFile {
  file: string;
  text: string;
}

/** What to generate besides the defaults. @example `{ patternServicesOfLast: 200 }` */
export interface GeneratedPipelineOptions {
  /** Give the last pipeline this many stages (validation allows 2 to 50). */
  stagesOfLast?: number;
  /** Give the last pipeline an event-pattern trigger matching this many services (about 13 characters each). */
  patternServicesOfLast?: number;
}

const pad = (i: number) => String(i).padStart(3, '0');

function extraStages(count: number): string[] {
  return Array.from({ length: count }, (_, s) => [
    `  - name: Verify${s + 1}`,
    '    actions:',
    `      - { name: Check, type: Test/Commands, inputs: [Src], commands: ["npm run check -- ${s + 1}"] }`,
  ]).flat();
}

function pipelineYaml(i: number, stages: number | undefined, services: number | undefined): string {
  const name = `service-${pad(i)}`;
  const own = i % 5 === 0;
  const triggers = [
    '  - git: { source: Checkout, push: [{ branches: [main] }] }',
    ...(i % 3 === 0 ? ['  - schedule: cron(0 6 ? * MON-FRI *)'] : []),
    ...(i % 10 === 0 ? [`  - event: { source: [acme.${name}], detail-type: [Release Requested] }`] : []),
    ...(services === undefined
      ? []
      : [
          `  - event: { source: [acme.releases], detail: { service: [${Array.from({ length: services }, (_, s) => `svc-${pad(s)}`).join(', ')}] } }`,
        ]),
  ];
  const build = own
    ? `      - { name: Build, type: Build/CodeBuild, inputs: [Src], outputs: [Out], configuration: { ProjectName: ${name}-build } }`
    : '      - { name: Build, type: Build/Commands, inputs: [Src], outputs: [Out], commands: ["npm ci", "npm run build"] }';
  const deploy = own
    ? `      - { name: Deploy, type: Deploy/CloudFormation, inputs: [Out], configuration: { ActionMode: CREATE_UPDATE, StackName: ${name}, TemplatePath: "Out::template.yaml", RoleArn: "arn:aws:iam::111122223333:role/${name}-cfn" }, roleArn: "arn:aws:iam::111122223333:role/pipewright-deployer" }`
    : '      - { name: Deploy, type: Compute/Commands, inputs: [Out], commands: ["npm run deploy"] }';
  const fixed = 4;
  return [
    `name: ${name}`,
    'executionMode: QUEUED',
    'triggers:',
    ...triggers,
    ...(i % 2 === 0 ? ['notifications:', `  - emails: [team-${i % 40}@example.com]`] : []),
    'stages:',
    '  - name: Source',
    '    actions:',
    `      - { name: Checkout, type: Source/CodeStarSourceConnection, outputs: [Src], configuration: { ConnectionArn: "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f", FullRepositoryId: acme/${name}, BranchName: main } }`,
    '  - name: Build',
    '    actions:',
    build,
    '      - { name: Test, type: Test/Commands, inputs: [Src], commands: ["npm test"] }',
    '  - name: Approve',
    '    actions:',
    '      - { name: Release, type: Approval/Manual }',
    ...(stages === undefined ? [] : extraStages(stages - fixed)),
    '  - name: Deploy',
    '    actions:',
    deploy,
    '',
  ].join('\n');
}

/**
 * `count` pipeline files named `<dir>/service-NNN.yaml`.
 *
 * @example
 * ```ts
 * const files = generatedPipelineFiles(200, 'pipelines');
 * deploymentPipelines(files).pipelines.length; // 200
 * ```
 */
export function generatedPipelineFiles(
  count: number,
  dir: string,
  options: GeneratedPipelineOptions = {},
): GeneratedPipelineFile[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    const last = i === count;
    const text = pipelineYaml(
      i,
      last ? options.stagesOfLast : undefined,
      last ? options.patternServicesOfLast : undefined,
    );
    return { file: `${dir}/service-${pad(i)}.yaml`, text };
  });
}
