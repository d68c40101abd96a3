import { z } from 'zod';
import { type FieldError, InvalidInputError } from '../../common/errors/domain-error';

/**
 * Parses a body or query with zod; a mistake is an InvalidInputError (400) naming each field and why, in
 * the same shape as every admin route ({ statusCode, error, message, errors[] }). Values
 * are never echoed back (a body may carry an API key).
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(`Invalid ${what}`, toFieldErrors(parsed.error));
}

export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.slice(0, 20).map((issue) => {
    const field =
      issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '') || '(body)';
    if (issue.code === 'unrecognized_keys') {
      return { field, reason: `unknown field(s): ${issue.keys.join(', ')}` };
    }
    return { field, reason: issue.message };
  });
}

/** The zod schema as OpenAPI, so /docs shows exactly what is validated. */
export function openApiOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
}

/**
 * Text PostgreSQL can store: no NUL character and no unpaired UTF-16 surrogate (valid JSON can
 * carry both as \u0000 and \ud800; PostgreSQL refuses them, which was a 500). → 400.
 */
export const storableText = () =>
  z
    .string()
    .refine((v) => !v.includes('\u0000'), 'must not contain NUL characters')
    .refine((v) => v.isWellFormed(), 'must not contain unpaired surrogate characters');

/** Query strings arrive as text: integers with bounds and a default. */
export const queryInt = (min: number, max: number, def: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
