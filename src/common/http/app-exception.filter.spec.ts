import type { ArgumentsHost } from '@nestjs/common';
import { InvalidInputError } from '../errors/domain-error';
import { StorageUnavailableError } from '../errors/storage-unavailable.error';
import { AppExceptionFilter, STATUS_BY_CODE } from './app-exception.filter';

function hostWith(reply: { status: jest.Mock; send: jest.Mock }): ArgumentsHost {
  return {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({}) }),
  } as unknown as ArgumentsHost;
}

describe('AppExceptionFilter', () => {
  const filter = new AppExceptionFilter();
  let reply: { status: jest.Mock; send: jest.Mock };
  beforeEach(() => {
    reply = { status: jest.fn(), send: jest.fn() };
    reply.status.mockReturnValue(reply);
  });

  it('maps every domain code to a 4xx or 503, never a 500', () => {
    for (const status of Object.values(STATUS_BY_CODE)) {
      expect(status === 503 || (status >= 400 && status < 500)).toBe(true);
    }
  });

  it('answers a domain error with its status, code, message and field errors', () => {
    filter.catch(
      new InvalidInputError('Invalid purchase', [{ field: 'packageCode', reason: 'required' }]),
      hostWith(reply),
    );
    expect(reply.status).toHaveBeenCalledWith(400);
    expect(reply.send).toHaveBeenCalledWith({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid purchase',
      code: 'INVALID_INPUT',
      errors: [{ field: 'packageCode', reason: 'required' }],
    });
  });

  it('answers 503 when storage is unavailable, so Meta retries', () => {
    filter.catch(new StorageUnavailableError('Storage unavailable, retry later'), hostWith(reply));
    expect(reply.status).toHaveBeenCalledWith(503);
  });

  it('answers a body-parsing error with its own 4xx', () => {
    filter.catch(
      Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }),
      hostWith(reply),
    );
    expect(reply.status).toHaveBeenCalledWith(400);
    expect(reply.send).toHaveBeenCalledWith(
      expect.objectContaining({ statusCode: 400, message: 'Body is not valid JSON' }),
    );
  });
});
