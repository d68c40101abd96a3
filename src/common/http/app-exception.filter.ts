import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { DomainError, type DomainErrorCode } from '../errors/domain-error';

/** The HTTP status of each domain error code: the only place domain meets HTTP. */
export const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  INVALID_INPUT: 400,
  UNKNOWN_PACKAGE: 400,
  TENANT_NOT_FOUND: 404,
  INBOUND_MESSAGE_NOT_FOUND: 404,
  WA_NUMBER_TAKEN: 409,
  CHANNEL_TAKEN: 409,
  PAYMENT_REF_CONFLICT: 409,
  STORAGE_UNAVAILABLE: 503,
};

/**
 * The app's one exception filter:
 * - domain errors → their code's status, `{ statusCode, error, message, code, errors? }`;
 * - body-parsing errors (malformed JSON, wrong content type, too large), which reach Nest as plain
 *   errors carrying a 4xx `statusCode` that Nest would answer as 500 → that 4xx;
 * - HTTP exceptions and anything else → Nest's default handling (500 without internals).
 */
@Catch()
export class AppExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof DomainError) {
      const status = STATUS_BY_CODE[exception.code];
      void reply.status(status).send({
        statusCode: status,
        error: STATUS_CODES[status],
        message: exception.message,
        code: exception.code,
        ...(exception.fieldErrors ? { errors: exception.fieldErrors } : {}),
      });
      return;
    }
    const status = clientStatus(exception);
    if (status === null) {
      super.catch(exception, host);
      return;
    }
    void reply.status(status).send({
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Bad Request',
      message: (exception as Error).message,
    });
  }
}

function clientStatus(err: unknown): number | null {
  if (err instanceof HttpException || !(err instanceof Error)) return null;
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}
