import type { z } from 'zod';
import { type FieldError, Invalid } from './errors.ts';

/** Each problem of a failed parse as a field and a message, the words the API and console show. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/**
 * Parses input with one of the shared schemas (src/services/schemas.ts), for the API and the
 * console alike, so the same mistake is refused with the same words wherever it is made.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Invalid(`The ${what} is not valid`, fieldErrors(result.error));
  return result.data;
}
