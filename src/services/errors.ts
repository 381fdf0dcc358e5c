/** Typed failures of the use cases; src/api/problem.ts maps each to one HTTP status. */
export { DatabaseBusy } from '../db/errors.ts';
export type FieldError = { field: string; message: string };

export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {}
export class Conflict extends DomainError {}
export class Forbidden extends DomainError {}
/** Refused until the signed-in user types their password again (team and token changes). */
export class ReauthenticationRequired extends Forbidden {}
export class Unauthorized extends DomainError {}

export class Invalid extends DomainError {
  readonly errors: FieldError[];
  constructor(message: string, errors: FieldError[] = []) {
    super(message);
    this.errors = errors;
  }
}

export class TooManyRequests extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
