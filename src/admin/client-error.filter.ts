import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';

/**
 * Body-parsing errors (malformed JSON, wrong content type, too large) reach Nest as plain
 * errors carrying a 4xx `statusCode`, which Nest would answer as 500. They are the client's
 * mistake and answered as such on every route (registered app-wide by AdminModule, i.e. in the
 * processes that serve HTTP bodies); everything else goes to Nest's default handling.
 */
@Catch()
export class AdminClientErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const status = clientStatus(exception);
    const http = host.switchToHttp();
    if (status === null) {
      super.catch(exception, host);
      return;
    }
    void http
      .getResponse<FastifyReply>()
      .status(status)
      .send({
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
