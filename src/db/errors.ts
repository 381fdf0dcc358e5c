/**
 * Thrown when another process (a backup, the CLI, a second writer) has held the database for
 * longer than Herald waits. The HTTP layer answers 503 with Retry-After; nothing was written.
 */
export class DatabaseBusy extends Error {
  readonly retryAfterSeconds: number;
  constructor(waitedMs: number) {
    super(
      `The database is busy (another process has held it for ${Math.round(waitedMs)} ms); nothing was changed, try again shortly.`,
    );
    this.name = 'DatabaseBusy';
    this.retryAfterSeconds = 2;
  }
}
