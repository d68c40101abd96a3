import { BadRequestException, NotFoundException } from '@nestjs/common';
import { z } from 'zod';

export interface FieldError {
  field: string;
  reason: string;
}

/**
 * Parses a body or query with zod; a mistake is a 400 that names each field and why, in
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
  throw badRequest(`Invalid ${what}`, toFieldErrors(parsed.error));
}

export function badRequest(message: string, errors: FieldError[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message, errors });
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A tenant id that is not even a uuid names no tenant: 404, not a database error. */
export function assertTenantId(id: string): void {
  if (!UUID.test(id)) throw unknownTenant(id);
}

export function unknownTenant(id: string): NotFoundException {
  return new NotFoundException(`No tenant ${id}`);
}

/** The zod schema as OpenAPI, so /docs shows exactly what is validated. */
export function openApiOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
}

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
