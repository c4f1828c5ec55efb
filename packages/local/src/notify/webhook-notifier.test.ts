import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutgoingNotification } from '@pipewright/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationDeliveryError } from './errors.ts';
import { WebhookNotifier } from './webhook-notifier.ts';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
});

async function listen(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      answer(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const message = (url: string): OutgoingNotification => ({
  channel: 'webhook',
  id: 'n-1',
  event: 'execution.failed',
  pipeline: 'web',
  executionId: '7f0c',
  target: 0,
  url,
  body: { text: ':x: *web* execution failed' },
});

describe('WebhookNotifier', () => {
  it('POSTs the JSON body with the notification id and event in headers', async () => {
    // Prepare
    const { url, received } = await listen((_req, res) => res.writeHead(200).end('ok'));
    const errors: NotificationDeliveryError[] = [];
    // Act
    await new WebhookNotifier({ onError: (e) => errors.push(e) }).send(message(url));
    // Assess
    expect(errors).toEqual([]);
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe('POST');
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers['x-pipewright-event']).toBe('execution.failed');
    expect(received[0]?.headers['x-pipewright-notification']).toBe('n-1');
    expect(JSON.parse(received[0]?.body ?? '')).toEqual({ text: ':x: *web* execution failed' });
  });

  it('reports an error answer to onError instead of throwing', async () => {
    const { url } = await listen((_req, res) => res.writeHead(404, 'Not Found').end('no such hook'));
    const errors: NotificationDeliveryError[] = [];
    await expect(
      new WebhookNotifier({ onError: (e) => errors.push(e) }).send(message(url)),
    ).resolves.toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/answered 404 Not Found to execution\.failed of web/),
    ]);
    expect(errors[0]?.code).toBe('PW5301');
  });

  it('gives up on a webhook that does not answer within the timeout', async () => {
    const { url } = await listen(() => undefined);
    const errors: NotificationDeliveryError[] = [];
    await new WebhookNotifier({ timeoutMs: 100, onError: (e) => errors.push(e) }).send(message(url));
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/did not answer execution\.failed .* within 100 ms/),
    ]);
  });

  it('reports a webhook nobody listens on', async () => {
    // Prepare: a port that was free a moment ago
    const { url } = await listen(() => undefined);
    const closed = servers.pop();
    await new Promise((done) => closed?.close(done));
    const errors: NotificationDeliveryError[] = [];
    // Act
    await new WebhookNotifier({ onError: (e) => errors.push(e) }).send(message(url));
    // Assess
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^\[PW5301\] could not POST execution\.failed/),
    ]);
  });

  it('ignores email messages', async () => {
    const { url, received } = await listen((_req, res) => res.writeHead(200).end());
    const email: OutgoingNotification = {
      ...message(url),
      channel: 'email',
      to: ['a@example.com'],
      subject: 's',
      text: 't',
    } as OutgoingNotification;
    await new WebhookNotifier().send(email);
    expect(received).toEqual([]);
  });
});
