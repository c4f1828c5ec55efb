/**
 * Vitest global setup: one DynamoDB Local for the whole run, started on first use. Test
 * files get `inject('dynamoDbLocalEndpoint')`, a port on 127.0.0.1 that relays to the jar;
 * the jar (3–4 s, 150–370 MB) starts when the first connection arrives, so a run without
 * DynamoDB tests never starts Java. When Java or the jar is missing, the relay answers every
 * request with a DynamoDB-shaped error that says what to install, so the failing test names it.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * test: { globalSetup: ['test/support/dynamodb-local-setup.ts'] }
 * // in a test (through packages/aws/src/testing/local-dynamodb.ts)
 * const endpoint = inject('dynamoDbLocalEndpoint');
 * ```
 */
import { connect, createServer, type Socket } from 'node:net';
import type { TestProject } from 'vitest/node';
import {
  type DynamoDbLocalProcess,
  startDynamoDbLocal,
} from '../../packages/aws/src/testing/dynamodb-local.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let jar: Promise<DynamoDbLocalProcess> | undefined;
  const sockets = new Set<Socket>();
  const relay = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.pause();
    jar ??= startDynamoDbLocal().then((started) => {
      process.stderr.write(
        `DynamoDB Local answered ${started.startMs} ms after start (${started.endpoint})\n`,
      );
      return started;
    });
    jar.then(
      ({ endpoint }) => {
        const upstream = connect(Number(new URL(endpoint).port), '127.0.0.1');
        sockets.add(upstream);
        upstream.once('close', () => sockets.delete(upstream));
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
        socket.pipe(upstream).pipe(socket);
        socket.resume();
      },
      (error: unknown) => refuse(socket, error),
    );
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  project.provide('dynamoDbLocalEndpoint', `http://127.0.0.1:${port}`);
  return async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
    const started = await jar?.catch(() => undefined);
    await started?.stop();
  };
}

/** Answers one HTTP request with DynamoDB's JSON error shape carrying why the jar cannot run. */
function refuse(socket: Socket, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const body = JSON.stringify({ __type: 'PipewrightDynamoDbLocalUnavailable', message });
  socket.on('error', () => undefined);
  socket.end(
    `HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-errortype: PipewrightDynamoDbLocalUnavailable\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  socket.resume();
}
