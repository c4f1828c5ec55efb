import { SmtpNotifier } from '@pipewright/local';
import { afterAll } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { startSmtp } from '../support/smtp.ts';
import { runNotifierContract } from './notifier.contract.ts';

const cleanups = cleanupsAfter(afterAll);

runNotifierContract(
  'SMTP (SmtpNotifier, smtp-server)',
  async () => {
    const smtp = await startSmtp(cleanups);
    const notifier = new SmtpNotifier({
      host: '127.0.0.1',
      port: smtp.port,
      from: 'Pipewright <ci@example.com>',
    });
    cleanups.add(() => notifier.close());
    return {
      notifier,
      // SMTP carries lines as CRLF; recipients read lines.
      delivered: async () =>
        smtp.mails.map(({ subject, text }) => ({ subject, text: text.replaceAll('\r\n', '\n') })),
      refuseNext: () => smtp.refuseNext(),
    };
  },
  {
    'delivers a duplicate of a message (same id) once':
      'locally one process hands each appended event to the notifier once, so nothing redelivers a notification; the SNS notifier remembers sent ids because Lambda and DynamoDB Streams deliver at least once',
  },
);
