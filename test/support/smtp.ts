/** A real SMTP server (npm `smtp-server`) on 127.0.0.1 that keeps every message it receives. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Cleanups } from './cleanups.ts';
import { deferred } from './deferred.ts';

/** A received message. */
export interface Mail {
  to: string[];
  subject: string;
  /** The decoded body. */
  text: string;
}

/** A running {@link startSmtp} server. */
export interface TestSmtp {
  port: number;
  /** Every message received so far, oldest first. */
  mails: Mail[];
  /** Resolves with the next message to arrive (or the one that arrived since the last call). */
  next(): Promise<Mail>;
  /** Makes the server refuse the next message (550 after its data), as a full mailbox would. */
  refuseNext(): void;
}

/**
 * Decodes a single-part MIME message's body written as quoted-printable or base64 (what
 * nodemailer picks for text); any other body as it is.
 *
 * @example
 * ```ts
 * decodeText('Content-Transfer-Encoding: base64\r\n\r\naGk='); // 'hi'
 * ```
 */
export function decodeText(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body, 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/**
 * Starts an SMTP server on a free port of 127.0.0.1 (no auth, no STARTTLS), closed when
 * `cleanups` run.
 *
 * @example
 * ```ts
 * const smtp = await startSmtp(cleanups);
 * // … configure host 127.0.0.1, port smtp.port …
 * const mail = await smtp.next();
 * ```
 */
export async function startSmtp(cleanups: Cleanups): Promise<TestSmtp> {
  const mails: Mail[] = [];
  let waiting = deferred<Mail>();
  let refuse = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse) {
          refuse = false;
          callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = {
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? '',
          text: decodeText(raw),
        };
        mails.push(mail);
        waiting.resolve(mail);
        callback();
      });
    },
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  cleanups.add(() => new Promise<void>((done) => server.close(() => done())));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    next: async () => {
      const mail = await waiting.promise;
      waiting = deferred<Mail>();
      return mail;
    },
    refuseNext: () => {
      refuse = true;
    },
  };
}
