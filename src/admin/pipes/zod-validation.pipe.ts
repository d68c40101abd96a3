import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { parseRequest } from '../dto/admin-validation';

/** `@Body(new ZodValidationPipe(schema, 'purchase'))`: the parsed value, or a 400 naming each field. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly what: string,
  ) {}

  transform(value: unknown): z.output<S> {
    return parseRequest(this.schema, value, this.what);
  }
}
