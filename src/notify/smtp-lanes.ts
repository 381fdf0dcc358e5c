import DKIM from 'nodemailer/lib/dkim';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

/**
 * The fan-out's way to SMTP: a few kept-open nodemailer SMTP connections that each carry one
 * finished message at a time. A notification mail is composed once (src/render/mime.ts), so
 * nodemailer's message layer (parsing, a MIME tree and Message-ID per mail, stream plumbing) is
 * skipped: it cost more CPU and memory than the rest of the fan-out. DKIM still signs each mail.
 */
export type SmtpLaneOptions = {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  tls: { rejectUnauthorized: boolean };
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
  dkim?: ConstructorParameters<typeof DKIM>[0];
};

type Lane = { connection: SMTPConnection; alive: boolean };

export class SmtpLanes {
  #options: SmtpLaneOptions;
  #size: number;
  #dkim: DKIM | null;
  #idle: Lane[] = [];
  #open = 0;
  #waiting: Array<(lane: Lane | null) => void> = [];
  #closed = false;

  constructor(options: SmtpLaneOptions, size: number) {
    this.#options = options;
    this.#size = size;
    this.#dkim = options.dkim ? new DKIM(options.dkim) : null;
  }

  async send(from: string, to: string, raw: Buffer | string): Promise<void> {
    const lane = await this.#acquire();
    let reusable = false;
    try {
      await new Promise<void>((resolve, reject) => {
        const message = this.#dkim ? this.#dkim.sign(raw) : raw;
        lane.connection.send({ from, to: [to] }, message, (error) => (error ? reject(error) : resolve()));
      });
      reusable = true;
    } catch (error) {
      // Refused by the server (the envelope or the message): the session is reset and kept.
      const code = (error as { code?: string; responseCode?: number }).code;
      const responseCode = (error as { responseCode?: number }).responseCode;
      if (lane.alive && (code === 'EENVELOPE' || code === 'EMESSAGE') && responseCode !== 421)
        reusable = await new Promise<boolean>((resolve) => lane.connection.reset((e) => resolve(!e)));
      throw error;
    } finally {
      this.#release(lane, reusable && lane.alive);
    }
  }

  close(): void {
    this.#closed = true;
    for (const lane of this.#idle.splice(0)) lane.connection.quit();
    for (const waiter of this.#waiting.splice(0)) waiter(null);
  }

  async #acquire(): Promise<Lane> {
    for (;;) {
      if (this.#closed) throw new Error('the mailer is closed');
      const idle = this.#idle.pop();
      if (idle?.alive) return idle;
      if (idle) continue;
      if (this.#open < this.#size) {
        this.#open++;
        try {
          return await this.#connect();
        } catch (error) {
          this.#open--;
          throw error;
        }
      }
      const handed = await new Promise<Lane | null>((resolve) => this.#waiting.push(resolve));
      if (handed?.alive) return handed;
    }
  }

  #release(lane: Lane, reusable: boolean): void {
    if (!reusable) {
      lane.alive = false;
      lane.connection.close();
      this.#open--;
      // A place is free: whoever waits opens a new connection.
      this.#waiting.shift()?.(null);
      return;
    }
    const waiter = this.#waiting.shift();
    if (waiter) waiter(lane);
    else if (this.#closed) lane.connection.quit();
    else this.#idle.push(lane);
  }

  async #connect(): Promise<Lane> {
    const { host, port, secure, tls, connectionTimeout, greetingTimeout, socketTimeout, auth } = this.#options;
    const connection = new SMTPConnection({
      host,
      port,
      secure,
      tls,
      connectionTimeout,
      greetingTimeout,
      socketTimeout,
    });
    const lane: Lane = { connection, alive: true };
    const dead = () => {
      if (!lane.alive) return;
      lane.alive = false;
      const at = this.#idle.indexOf(lane);
      if (at !== -1) {
        this.#idle.splice(at, 1);
        this.#open--;
        this.#waiting.shift()?.(null);
      }
    };
    // A dropped connection is noticed here and replaced on the next send; the send under way
    // (if any) fails through its own callback.
    connection.on('error', dead);
    connection.on('end', dead);
    try {
      await new Promise<void>((resolve, reject) => {
        // A refused connection is reported as an 'error' event, not always through the callback.
        connection.once('error', reject);
        connection.connect((error) => (error ? reject(error) : resolve()));
      });
      if (auth)
        await new Promise<void>((resolve, reject) =>
          connection.login(auth, (error) => (error ? reject(error) : resolve())),
        );
    } catch (error) {
      lane.alive = false;
      connection.close();
      throw error;
    }
    return lane;
  }
}
