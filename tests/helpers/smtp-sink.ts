import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export type ReceivedMail = { envelopeTo: string[]; raw: string; parsed: ParsedMail };

/** What the test server answers to a recipient: accept, or an SMTP error code. */
export type RecipientPolicy = (address: string) => 'accept' | 421 | 451 | 550;

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it receives, parsed
 * by mailparser. Plain SMTP without STARTTLS, as a local relay would be.
 */
export async function startSmtpSink(options: { policy?: RecipientPolicy; parse?: boolean; delayMs?: number } = {}) {
  const received: ReceivedMail[] = [];
  const counts = new Map<string, number>();
  let policy: RecipientPolicy = options.policy ?? (() => 'accept');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session: SMTPServerSession, callback) {
      const verdict = policy(address.address);
      if (verdict === 'accept') return callback();
      const error = Object.assign(new Error(verdict === 550 ? 'No such user here' : 'Try again later'), {
        responseCode: verdict,
      });
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address);
        for (const address of to) counts.set(address, (counts.get(address) ?? 0) + 1);
        if (options.parse === false) {
          setTimeout(callback, options.delayMs ?? 0);
          return;
        }
        simpleParser(raw)
          .then((parsed) => {
            received.push({ envelopeTo: to, raw, parsed });
            callback();
          })
          .catch(callback);
      });
    },
  });
  // A client vanishing mid-session (the crash test SIGKILLs Herald while it sends) is ordinary for
  // an SMTP server; any other server error still surfaces as the uncaught error it would be.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
    throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Mails received per envelope recipient (kept even when parsing is off). */
    counts,
    setPolicy(next: RecipientPolicy) {
      policy = next;
    },
    to(address: string) {
      return received.filter((m) => m.envelopeTo.includes(address));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;
