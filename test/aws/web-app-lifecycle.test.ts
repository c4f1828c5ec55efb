/**
 * Issue 6's acceptance: the web-app example's whole lifecycle runs through the Lambda handlers
 * with the AWS adapters — a signed GitHub push reaches the HTTP function, which relays it to the
 * bus; the trigger function starts the execution; the state machine (the `states` runtime
 * standing in for Step Functions behind the same Orchestrator port) invokes the action-runner
 * and stage-gate handlers; Source, Build and Test run as CodeBuild builds (a stand-in that runs
 * them here, reading and writing artifacts in s3rver) completed by the callback function; the
 * projector emails the signed approval link through SNS; the link, opened and posted through
 * the HTTP function, approves; Deploy/S3 uploads the site to a bucket; the execution Succeeds.
 *
 * Every function gets its own runtime (engine, caches), as separate Lambdas would. DynamoDB is
 * DynamoDB Local, S3 is s3rver; SNS, EventBridge and CodeBuild are mocked with aws-sdk-client-mock.
 * Then every delivery is repeated — the webhook, the bus event, the CodeBuild events, the
 * stream records — and nothing changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  actionRunnerHandler,
  awsProviders,
  awsWebApp,
  callbackHandler,
  codeBuildCompletion,
  DynamoOnce,
  type DynamoStreamEvent,
  EventBridgePublisher,
  eventItem,
  type FunctionRuntime,
  openFunctionRuntime,
  projectorHandler,
  recordedDefinitions,
  S3ActionLogStore,
  S3ArtifactStore,
  SnsNotifier,
  stageGateHandler,
  triggerHandler,
} from '@pipewright/aws';
import {
  compilePipeline,
  type EventRecord,
  executionStream,
  loadPipelines,
  type Pipeline,
  validatePipeline,
} from '@pipewright/core';
import { signApprovalLink, TriggerDispatcher } from '@pipewright/engine';
import { LocalOrchestrator } from '@pipewright/local';
import { LocalStepFunctions } from '@pipewright/states';
import { mockClient } from 'aws-sdk-client-mock';
import { handle } from 'hono/aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../packages/aws/src/testing/local-dynamodb.ts';
import { type LocalS3, startLocalS3 } from '../../packages/aws/src/testing/local-s3.ts';
import { cleanupsAfter } from '../support/cleanups.ts';
import { type FakeCodeBuild, fakeCodeBuild } from '../support/fake-codebuild.ts';
import { commitFile, gitIn } from '../support/git.ts';
import { signedGithubPush } from '../support/github-push.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { poll } from '../support/poll.ts';
import { copyExample, tempDirSync } from '../support/temp-dirs.ts';

const RESOURCES = { actionRunner: 'pipewright-action-runner', stageGate: 'pipewright-stage-gate' };
const PUBLIC_URL = 'https://abc123.lambda-url.us-east-1.on.aws';
const WEBHOOK_SECRET = 'webhook-secret-for-the-test';
const API_TOKEN = 'api-token-for-the-test';
const APPROVAL_KEY = Buffer.alloc(32, 7);

const cleanups = cleanupsAfter(afterEach);
let dynamo: LocalDynamoDb;
let s3local: LocalS3;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  s3local = await startLocalS3();
});
afterAll(async () => {
  await dynamo.close();
  await s3local.close();
});

/** The example as a team deploys it: the repository it builds, the bucket it deploys to, and who approves (SNS email). */
function webAppForAws(repo: string, siteBucket: string): Pipeline {
  const text = readFileSync(join(REPO_ROOT, 'examples/web-app/pipeline.yaml'), 'utf8');
  const [loaded] = loadPipelines(text, { file: 'pipeline.yaml' }).pipelines;
  if (loaded === undefined) throw new Error('examples/web-app/pipeline.yaml did not load');
  const pipeline = structuredClone(loaded.pipeline);
  for (const stage of pipeline.stages)
    for (const action of stage.actions) {
      if (action.name === 'Checkout') action.configuration = { ...action.configuration, RepositoryUrl: repo };
      if (action.name === 'Publish')
        action.configuration = { ...action.configuration, BucketName: siteBucket };
    }
  pipeline.notifications = [
    { emails: ['approver@example.com'], events: ['approval.requested', 'execution.failed'] },
  ];
  const problems = validatePipeline({ ...loaded, pipeline }).filter((d) => d.severity === 'error');
  expect(problems).toEqual([]);
  return pipeline;
}

function streamRecords(records: readonly EventRecord[]): DynamoStreamEvent {
  return {
    Records: records.map((r) => ({
      eventName: 'INSERT',
      dynamodb: {
        NewImage: marshall(eventItem(r.stream, r.seq, r) as unknown as Record<string, unknown>, {
          removeUndefinedValues: true,
        }),
      },
    })),
  };
}

function busEventOf(entry: PutEventsRequestEntry, id: string): Record<string, unknown> {
  return {
    version: '0',
    id,
    source: entry.Source,
    'detail-type': entry.DetailType,
    detail: JSON.parse(entry.Detail ?? '{}'),
    time: new Date().toISOString(),
    account: '000000000000',
    region: 'us-east-1',
    resources: [],
  };
}

describe('the web-app example on the AWS runtime', () => {
  it('runs webhook → trigger → actions → emailed approval link → deploy → Succeeded through the Lambda handlers, and redeliveries change nothing', async () => {
    // Prepare: the repository, the buckets, the table, the mocked services.
    const work = tempDirSync(cleanups, 'pw-aws-lifecycle-');
    const repo = join(work, 'repo');
    copyExample('web-app/app', repo);
    gitIn(repo)('init', '-q', '-b', 'main');
    const commit = commitFile(repo, 'src/greeting.txt', 'hello from AWS\n', 'Add a greeting');
    const tableName = await dynamo.createEventTable();
    const artifactBucket = await s3local.createBucket();
    const siteBucket = await s3local.createBucket();
    const s3 = s3local.client();
    const pipeline = webAppForAws(repo, siteBucket);

    const sns = mockClient(SNSClient);
    const published: { TopicArn?: string; Subject?: string; Message?: string }[] = [];
    sns.on(PublishCommand).callsFake(async (input) => {
      published.push(input);
      return { MessageId: `m-${published.length}` };
    });
    const bus = mockClient(EventBridgeClient);
    const putEntries: PutEventsRequestEntry[] = [];
    bus.on(PutEventsCommand).callsFake(async (input: { Entries?: PutEventsRequestEntry[] }) => {
      putEntries.push(...(input.Entries ?? []));
      return {
        FailedEntryCount: 0,
        Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `e-${putEntries.length}-${i}` })),
      };
    });

    const sfn = new LocalStepFunctions();
    const orchestrator = new LocalOrchestrator(sfn);
    orchestrator.register(pipeline.name, compilePipeline(pipeline, { resources: RESOURCES }));
    const open = (): Promise<FunctionRuntime> =>
      openFunctionRuntime({
        env: { tableName, pipelinesDir: work },
        dynamodb: dynamo.client(),
        orchestrator,
        pipelines: [pipeline],
      });
    const artifactStore = () => new S3ArtifactStore({ client: s3, bucket: artifactBucket });

    // The functions, each with its own runtime.
    const runnerRuntime = await open();
    const runner = actionRunnerHandler(async () => ({
      engine: runnerRuntime.engine({
        artifacts: artifactStore(),
        logs: new S3ActionLogStore({ client: s3, bucket: artifactBucket }),
        providers: awsProviders({
          codebuild: new CodeBuildClient({}),
          lambda: new LambdaClient({}),
          cloudformation: new CloudFormationClient({}),
          s3,
          ecr: new ECRClient({}),
          runnerProject: 'pipewright-test-runner',
          artifactBucket,
        }),
      }),
    }));
    const gateRuntime = await open();
    const gate = stageGateHandler(async () => ({ engine: gateRuntime.engine() }));
    // Step Functions invokes at least once: every task is delivered twice, the second time
    // while the first may still be running.
    const twice =
      <T>(handler: (payload: unknown) => Promise<T>) =>
      async (payload: unknown): Promise<T> => {
        const [first] = await Promise.all([handler(payload), handler(structuredClone(payload))]);
        return first;
      };
    sfn.registerHandler(RESOURCES.actionRunner, twice(runner));
    sfn.registerHandler(RESOURCES.stageGate, twice(gate));

    const callbackRuntime = await open();
    const callback = callbackHandler(async () => ({
      engine: callbackRuntime.engine(),
      completion: (event) =>
        codeBuildCompletion(event, { codebuild: new CodeBuildClient({}), artifacts: artifactStore() }),
    }));
    const codeBuildEvents: unknown[] = [];
    const codebuild: FakeCodeBuild = fakeCodeBuild({
      s3,
      onEvent: async (event) => {
        codeBuildEvents.push(event);
        return callback(event);
      },
    });

    const triggerRuntime = await open();
    const trigger = triggerHandler(async () => ({
      dispatcher: new TriggerDispatcher({
        store: triggerRuntime.store,
        pipelines: { get: (name) => triggerRuntime.pipelines.get(name) },
        start: (request) => triggerRuntime.engine().start(request),
      }),
    }));

    const projectorStore = (await open()).store;
    const projector = projectorHandler(async () => {
      const publisher = new EventBridgePublisher({
        client: new EventBridgeClient({}),
        busName: 'pipewright-test',
      });
      const notifier = new SnsNotifier({
        client: new SNSClient({}),
        topicArnFor: () => 'arn:aws:sns:us-east-1:000000000000:pipewright-test-web-app',
      });
      return {
        store: projectorStore,
        definition: recordedDefinitions(projectorStore),
        publish: (changes) => publisher.publish(changes),
        notify: (message) => notifier.send(message),
        once: new DynamoOnce({ client: dynamo.client(), tableName }),
        approvalLink: (approvalId, expiresAt) =>
          signApprovalLink({ baseUrl: PUBLIC_URL, approvalId, expiresAt }, APPROVAL_KEY),
        region: 'us-east-1',
        account: '000000000000',
      };
    });

    const httpRuntime = await open();
    const http = handle(
      awsWebApp({
        runtime: httpRuntime,
        logs: new S3ActionLogStore({ client: s3, bucket: artifactBucket }),
        approvalKey: APPROVAL_KEY,
        apiToken: API_TOKEN,
        webhookSecret: WEBHOOK_SECRET,
        async relay(name, delivery) {
          await new EventBridgeClient({}).send(
            new PutEventsCommand({
              Entries: [
                {
                  EventBusName: 'pipewright-test',
                  Source: 'pipewright.webhook',
                  DetailType: 'Pipewright Trigger Delivery',
                  Detail: JSON.stringify({ pipeline: name, delivery }),
                },
              ],
            }),
          );
        },
      }),
    );
    const request = async (
      method: string,
      url: string,
      body?: string,
      headers: Record<string, string> = {},
    ) => {
      const u = new URL(url, PUBLIC_URL);
      const out = await http(
        {
          version: '2.0',
          routeKey: '$default',
          rawPath: u.pathname,
          rawQueryString: u.search.slice(1),
          headers: { host: u.host, ...headers },
          requestContext: {
            http: {
              method,
              path: u.pathname,
              protocol: 'HTTP/1.1',
              sourceIp: '203.0.113.9',
              userAgent: 'test',
            },
            domainName: u.host,
            requestId: `r-${Math.random()}`,
          },
          ...(body === undefined ? {} : { body, isBase64Encoded: false }),
          isBase64Encoded: false,
        } as never,
        {} as never,
      );
      return out as {
        statusCode: number;
        body: string;
        headers?: Record<string, string>;
        cookies?: string[];
      };
    };

    try {
      // Act 1: GitHub delivers a signed push to the HTTP function; it relays it to the bus.
      const push = signedGithubPush(WEBHOOK_SECRET, commit, 'Add a greeting', ['src/greeting.txt']);
      const webhook = {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'delivery-aws-1',
        'x-hub-signature-256': push.signature,
      };
      const accepted = await request('POST', '/webhooks/github/web-app', push.body, webhook);
      expect(accepted.statusCode).toBe(202);
      expect(putEntries).toHaveLength(1);
      const relayed = putEntries[0] as PutEventsRequestEntry;
      expect(relayed).toMatchObject({
        Source: 'pipewright.webhook',
        DetailType: 'Pipewright Trigger Delivery',
      });

      // Act 2: the bus rule hands it to the trigger function, which starts the execution.
      const started = await trigger({ pipeline: 'web-app', event: busEventOf(relayed, 'bus-1') });
      expect(started).toMatchObject({ matched: true });
      const executionId = started.executionId as string;

      // Act 3: Source, Build, Test run as builds; the approval waits; the projector emails the link.
      const approvalRequested = await poll(
        () => projectorStore.read(executionStream(executionId)),
        (records) =>
          records.some((r) => r.type === 'ApprovalRequested' || r.type === 'PipelineExecutionFailed'),
        { timeoutMs: 90_000 },
      );
      expect(approvalRequested.map((r) => r.type)).toContain('ApprovalRequested');
      await projector(streamRecords(approvalRequested));
      const emails = published.filter((p) => p.Message?.includes('/approvals/'));
      expect(emails).toHaveLength(1);
      const link = /https:\/\/\S+\/approvals\/\S+/.exec(emails[0]?.Message ?? '')?.[0] ?? '';
      expect(link.startsWith(`${PUBLIC_URL}/approvals/${executionId}.`)).toBe(true);

      // Act 4: the approver opens the link (nothing changes), signs in, then approves on the page.
      const page = await request('GET', link);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Release');
      const url = new URL(link);
      const signIn = new URLSearchParams({
        token: API_TOKEN,
        user: 'alice',
        next: `${url.pathname}${url.search}`,
      });
      const login = await request('POST', '/login', signIn.toString(), {
        'content-type': 'application/x-www-form-urlencoded',
        origin: PUBLIC_URL,
      });
      expect(login.statusCode).toBe(303);
      const cookie = (login.cookies?.[0] ?? login.headers?.['set-cookie'] ?? '').split(';')[0] ?? '';
      const signedInPage = await request('GET', link, undefined, { cookie });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(signedInPage.body)?.[1] ?? '';
      expect(csrf).not.toBe('');
      const form = new URLSearchParams({
        expires: url.searchParams.get('expires') ?? '',
        signature: url.searchParams.get('signature') ?? '',
        _csrf: csrf,
        decision: 'approve',
        comment: 'ship it',
      });
      const decided = await request('POST', url.pathname, form.toString(), {
        'content-type': 'application/x-www-form-urlencoded',
        origin: PUBLIC_URL,
        cookie,
      });
      expect(decided.statusCode).toBe(303);
      const described = await orchestrator.waitForExecution(executionId);

      // Assess: the state machine and the log agree; the site is in its bucket.
      expect(described.status).toBe('SUCCEEDED');
      const view = await httpRuntime.engine().view(executionId);
      expect(view.status).toBe('Succeeded');
      expect(view.trigger?.triggerType).toBe('WebhookV2');
      const checkout = view.stages[0]?.actions[0]?.attempts.at(-1);
      expect(checkout?.outputVariables?.CommitId).toBe(commit);
      expect(view.approvals).toMatchObject([
        { status: 'Approved', decidedBy: { kind: 'user', id: 'alice', verifiedBy: 'server-token' } },
      ]);
      const site = await s3.send(new ListObjectsV2Command({ Bucket: siteBucket }));
      const keys = (site.Contents ?? []).map((o) => o.Key);
      expect(keys).toEqual(expect.arrayContaining(['dist/index.html', 'dist/app.js']));
      const index = await s3.send(new GetObjectCommand({ Bucket: siteBucket, Key: 'dist/index.html' }));
      expect(await index.Body?.transformToString()).toContain('<');
      expect(
        codebuild.started.map(
          (b) => b.environmentVariablesOverride?.find((v) => v.name === 'PIPEWRIGHT_ACTION')?.value,
        ),
      ).toEqual(expect.arrayContaining(['Checkout', 'Compile', 'UnitTests', 'Lint']));

      // Each task delivered twice did its work once: one attempt per action, one build each.
      const all0 = await projectorStore.read(executionStream(executionId));
      const actionsStarted = all0
        .filter((r) => r.type === 'ActionStarted')
        .map((r) => (r.data as { actionName: string }).actionName);
      expect(actionsStarted.sort()).toEqual([
        'Checkout',
        'Compile',
        'Lint',
        'Publish',
        'Release',
        'UnitTests',
      ]);
      expect(all0.filter((r) => r.type === 'StageStarted' || r.type === 'StageSucceeded')).toHaveLength(10);
      expect(new Set(codebuild.started.map((b) => b.idempotencyToken)).size).toBe(4);
      expect(codebuild.builds).toBe(4);

      // The projector puts CodePipeline's state-change events on the bus, and emails once.
      const all = await projectorStore.read(executionStream(executionId));
      await projector(streamRecords(all.filter((r) => r.seq > (approvalRequested.at(-1)?.seq ?? 0))));
      const stateChanges = putEntries.filter(
        (e) => e.Source === 'aws.codepipeline' || e.DetailType?.startsWith('CodePipeline'),
      );
      expect(
        stateChanges.some(
          (e) =>
            e.DetailType === 'CodePipeline Pipeline Execution State Change' &&
            e.Detail?.includes('SUCCEEDED'),
        ),
      ).toBe(true);

      // Act 5: every delivery again.
      const eventsBefore = all.length;
      const putsBefore = putEntries.length;
      const mailsBefore = published.length;
      const again = await request('POST', '/webhooks/github/web-app', push.body, webhook);
      expect(again.statusCode).toBe(202);
      const redelivered = await trigger({ pipeline: 'web-app', event: busEventOf(relayed, 'bus-1') });
      expect(redelivered).toMatchObject({ duplicate: true, executionId });
      for (const event of codeBuildEvents) await callback(event);
      await projector(streamRecords(all));

      // Assess: nothing changed.
      expect((await projectorStore.read(executionStream(executionId))).length).toBe(eventsBefore);
      expect(published.length).toBe(mailsBefore);
      // The webhook itself is relayed again (the trigger function dedupes it); nothing else is put.
      expect(putEntries.length).toBe(putsBefore + 1);
      const executions = await projectorStore.listExecutions('web-app');
      expect(executions.executions).toHaveLength(1);
    } finally {
      await codebuild.idle();
      codebuild.restore();
      sns.restore();
      bus.restore();
    }
  }, 180_000);
});
