/**
 * Email notifications over SMTP (nodemailer's SMTP transport), configured by `smtp:` in
 * `pipewright.local.yaml`. Sends only `email` messages; others are ignored.
 *
 * @example
 * ```ts
 * const email = new SmtpNotifier({ host: 'smtp.example.com', port: 587, from: 'Pipewright <ci@example.com>' });
 * await email.send(message); // rejects with NotificationDeliveryError when the server refuses
 * email.close();
 * ```
 */
import type { OutgoingNotification } from '@pipewright/core';
import type { Notifier } from '@pipewright/engine';
import { createTransport } from 'nodemailer';
import type { SmtpSettings } from '../settings/schema.ts';
import { NotificationDeliveryError } from './errors.ts';

/**
 * Sends notification emails through one SMTP server.
 *
 * @example
 * ```ts
 * const email = new SmtpNotifier(settings.smtp);
 * ```
 */
export class SmtpNotifier implements Notifier {
  readonly #settings: SmtpSettings;
  readonly #transport: ReturnType<typeof createTransport>;

  constructor(settings: SmtpSettings) {
    this.#settings = settings;
    this.#transport = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure ?? false,
      ...(settings.user === undefined
        ? {}
        : {
            auth: {
              user: settings.user,
              ...(settings.password === undefined ? {} : { pass: settings.password }),
            },
          }),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  /** Emails an `email` message to its recipients; rejects with {@link NotificationDeliveryError}. */
  async send(message: OutgoingNotification): Promise<void> {
    if (message.channel !== 'email') return;
    try {
      await this.#transport.sendMail({
        from: this.#settings.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { 'X-Pipewright-Notification': message.id, 'X-Pipewright-Event': message.event },
      });
    } catch (cause) {
      const { host, port } = this.#settings;
      throw new NotificationDeliveryError(
        `could not email ${message.event} of ${message.pipeline} (${message.executionId}) to ${message.to.join(', ')} through ${host}:${port}: ${(cause as Error).message}; check smtp in pipewright.local.yaml (host, port, secure, user) and that the server relays mail from ${this.#settings.from}`,
        { cause },
      );
    }
  }

  /** Closes the SMTP connections. */
  close(): void {
    this.#transport.close();
  }
}
