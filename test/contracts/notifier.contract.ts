/**
 * The contract of the `Notifier` port where it has two adapters: email — SMTP locally, SNS in
 * AWS. (Webhook messages have only the local webhook notifier; SNS leaves them to it.) Run it
 * with `runNotifierContract(name, makeAdapter)`; a skipped case must say why.
 */
import type { EmailNotification, WebhookNotification } from '@pipewright/core';
import type { Notifier } from '@pipewright/engine';
import { describe, expect } from 'vitest';
import { poll } from '../support/poll.ts';
import { type ContractCases, type ContractSkips, registerCases } from './contract-case.ts';

/** A message as its recipients' side received it. */
export interface DeliveredEmail {
  subject: string;
  text: string;
}

/** A notifier and the far side it delivers to. */
export interface NotifierHarness {
  notifier: Notifier;
  /** What has reached the far side so far (an SMTP server's mailbox, an SNS topic), oldest first. */
  delivered(): Promise<DeliveredEmail[]>;
  /** Makes the far side refuse the next message. */
  refuseNext(): void;
}

let n = 0;
function email(overrides: Partial<EmailNotification> = {}): EmailNotification {
  n += 1;
  return {
    channel: 'email',
    id: `7f0c${n}::pipeline:FAILED:0:email`,
    event: 'execution.failed',
    pipeline: 'web',
    executionId: `7f0c${n}`,
    target: 0,
    to: ['ops@example.com'],
    subject: `[Pipewright] web: execution 7f0c${n} failed`,
    text: `Execution 7f0c${n} of web failed.\nin stage Build: npm test exited with 1 — see the log\n`,
    ...overrides,
  };
}

/** Waits until `count` messages have arrived (a mailbox may take a moment after send resolves). */
async function arrived(harness: NotifierHarness, count: number): Promise<DeliveredEmail[]> {
  return poll(
    () => harness.delivered(),
    (list) => list.length >= count,
    { timeoutMs: 5000, intervalMs: 20 },
  );
}

/** The cases every NotifierHarness adapter must pass, by name (the names `skip` refers to). */
export const NOTIFIER_CASES: ContractCases<NotifierHarness> = {
  'delivers an email message: its subject and its text, unchanged': async (makeAdapter) => {
    const harness = await makeAdapter();
    const message = email();
    await harness.notifier.send(message);
    const [mail] = await arrived(harness, 1);
    expect(mail?.subject).toBe(message.subject);
    expect(mail?.text.trimEnd()).toBe(message.text.trimEnd());
  },
  'ignores a message of another channel': async (makeAdapter) => {
    const harness = await makeAdapter();
    const webhook: WebhookNotification = {
      channel: 'webhook',
      id: 'w-1',
      event: 'execution.failed',
      pipeline: 'web',
      executionId: '7f0c',
      target: 1,
      url: 'http://127.0.0.1:9/hook',
      body: { text: 'failed' },
    };
    await harness.notifier.send(webhook);
    await harness.notifier.send(email());
    expect(await arrived(harness, 1)).toHaveLength(1);
  },
  'rejects a message the far side refuses, naming it, and delivers it when sent again': async (
    makeAdapter,
  ) => {
    const harness = await makeAdapter();
    const message = email();
    harness.refuseNext();
    await expect(harness.notifier.send(message)).rejects.toThrow(
      new RegExp(`${message.pipeline} \\(${message.executionId}\\)`),
    );
    expect(await harness.delivered()).toEqual([]);
    await harness.notifier.send(message);
    expect(await arrived(harness, 1)).toHaveLength(1);
  },
  'delivers a duplicate of a message (same id) once': async (makeAdapter) => {
    const harness = await makeAdapter();
    const message = email();
    await Promise.all([harness.notifier.send(message), harness.notifier.send(message)]);
    await harness.notifier.send(message);
    await harness.notifier.send(email());
    const mails = await arrived(harness, 2);
    expect(mails.map((m) => m.subject).filter((s) => s === message.subject)).toHaveLength(1);
  },
};

/**
 * Registers the Notifier (email) contract for one adapter. `makeAdapter` gives a fresh harness
 * whose notifier delivers pipeline `web`'s email.
 *
 * @example
 * ```ts
 * runNotifierContract('SMTP', async () => smtpHarness());
 * ```
 */
export function runNotifierContract(
  name: string,
  makeAdapter: () => Promise<NotifierHarness>,
  skip?: ContractSkips,
): void {
  describe(`Notifier contract (email): ${name}`, () => {
    registerCases(NOTIFIER_CASES, makeAdapter, skip);
  });
}
