/**
 * Test support (not exported from the package): DynamoDB Local, the emulator AWS publishes
 * (`DynamoDBLocal.jar` 1.25.x, shipped inside the npm package `amplify-dynamodb-simulator`),
 * run with the machine's Java (Debian: `openjdk-17-jre-headless`).
 *
 * The jar is started in memory (`-inMemory`) with telemetry off (`-disableTelemetry`; 1.25
 * reports usage by default) on a free port. It binds every interface (it has no option to
 * bind one address), so tests talk to it on 127.0.0.1 only and stop it when the run ends. It
 * answers after 2.5–12 s (idle or loaded machine) and takes up to ~300 MB with its 256 MB heap:
 * a test run starts one and shares it (see
 * `test/support/dynamodb-local-setup.ts`), tests keep apart by unique table names.
 *
 * @example
 * ```ts
 * const local = await startDynamoDbLocal();
 * new DynamoDBClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
 * await local.stop();
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the run's shared DynamoDB Local (`test/support/dynamodb-local-setup.ts`). */
    dynamoDbLocalEndpoint: string;
  }
}

/** A running DynamoDB Local. */
export interface DynamoDbLocalProcess {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Milliseconds from spawning Java to the first answered request. */
  startMs: number;
  /** Stops the Java process (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/** Fake credentials: DynamoDB Local accepts any key pair. */
export const DYNAMODB_LOCAL_CREDENTIALS = {
  accessKeyId: 'AKIDLOCALTEST',
  secretAccessKey: 'local-test-secret',
};

const STARTUP_TIMEOUT_MS = 60_000;
/** The discard port: nothing listens there, so a connection to it fails at once. */
const CLOSED_PORT = 9;

/**
 * The environment the jar runs in. DynamoDB Local 1.25.1 calls Cognito (`GetId`, for its
 * telemetry credentials) at startup even with `-disableTelemetry` — seen with a listener on
 * `AWS_ENDPOINT_URL`. Its AWS SDK honours that variable, so pointing it at a closed local port
 * (with fake credentials and no instance metadata) keeps the call off the network.
 */
function offlineJavaEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  return {
    ...env,
    AWS_ENDPOINT_URL: `http://127.0.0.1:${CLOSED_PORT}`,
    AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

/**
 * The directory holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib/`.
 *
 * @example
 * ```ts
 * emulatorDirectory(); // '…/node_modules/amplify-dynamodb-simulator/emulator'
 * ```
 */
export function emulatorDirectory(): string {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  } catch (error) {
    throw new Error(
      'DynamoDB Local is missing: the npm package amplify-dynamodb-simulator (a root devDependency) ships it; run `npm ci`',
      { cause: error },
    );
  }
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) {
    throw new Error(
      `DynamoDB Local is missing: no DynamoDBLocal.jar in ${dir}; reinstall amplify-dynamodb-simulator`,
    );
  }
  return dir;
}

/**
 * Starts DynamoDB Local in memory on a free port and waits until it answers.
 *
 * @example
 * ```ts
 * const { endpoint, stop } = await startDynamoDbLocal();
 * ```
 */
export async function startDynamoDbLocal(): Promise<DynamoDbLocalProcess> {
  const dir = emulatorDirectory();
  const port = await freePort();
  const started = Date.now();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      // A bounded heap and the serial collector: the test tables are small, the machine shared.
      '-Xmx256m',
      '-XX:+UseSerialGC',
      // Belt and braces with offlineJavaEnvironment: any HTTP(S) the JVM would open elsewhere goes to a closed port.
      ...['http', 'https'].flatMap((p) => [`-D${p}.proxyHost=127.0.0.1`, `-D${p}.proxyPort=${CLOSED_PORT}`]),
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, env: offlineJavaEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error) =>
      resolve(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? new Error(
              'DynamoDB Local needs Java, and `java` is not on PATH: install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)',
            )
          : error,
      ),
    );
    child.once('exit', (code, signal) =>
      resolve(new Error(`DynamoDB Local exited (${signal ?? code}) before answering:\n${output}`)),
    );
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const ready = await Promise.race([waitUntilAnswering(endpoint), exited]);
  if (ready instanceof Error) {
    child.kill('SIGKILL');
    child.stdout?.destroy();
    child.stderr?.destroy();
    throw ready;
  }
  return { endpoint, startMs: Date.now() - started, stop: () => stopProcess(child) };
}

/** Polls the endpoint until DynamoDB answers a signed-or-not request with any HTTP status. */
async function waitUntilAnswering(endpoint: string): Promise<true | Error> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return new Error(`DynamoDB Local did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A port free on every interface (DynamoDB Local binds them all). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
